/* Unit tests: buf, val and yval (YAML -> val). */
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "val.h"
#include "yval.h"
#include "tcheck.h"

static struct val *
parse(const char *text, struct diag *d)
{
    return yval_parse(text, strlen(text), "t.yaml", 0, d);
}

START_TEST(buf_html_escapes_five_characters)
{
    struct buf b;

    buf_init(&b);
    buf_html(&b, "a<b>&\"c'", 8);
    ck_assert_str_eq(buf_str(&b), "a&lt;b&gt;&amp;&quot;c&#39;");
    buf_fini(&b);
}
END_TEST

START_TEST(yaml_scalars_resolve_as_yaml_1_1)
{
    struct diag d;
    diag_init(&d, NULL);
    struct val *v = parse("a: 1.210\nb: true\nc: ~\nd: '12'\ne: 2019-7-14 "
                          "16:34:58\nf: 010\n",
                          &d);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(val_get(v, "a")->kind, VAL_NUM);
    ck_assert_str_eq(val_get(v, "a")->s, "1.210");
    ck_assert_int_eq(val_get(v, "b")->kind, VAL_BOOL);
    ck_assert_int_eq(val_get(v, "c")->kind, VAL_NULL);
    ck_assert_int_eq(val_get(v, "d")->kind, VAL_STR);
    ck_assert_int_eq(val_get(v, "e")->kind, VAL_STR);
    ck_assert(val_get(v, "f")->num == 10);
    char tmp[32];
    val_fmt_num(1.21, tmp);
    ck_assert_str_eq(tmp, "1.21");
    val_free(v);
    diag_fini(&d);
}
END_TEST

START_TEST(yaml_duplicate_key_is_an_error_with_position)
{
    struct diag d;
    diag_init(&d, NULL);
    ck_assert_ptr_null(parse("title: a\ntags: x\ntitle: b\n", &d));
    ck_assert_str_eq(buf_str(&d.text), "t.yaml:3:1: error: duplicate key "
                                       "'title'; it was already set on line "
                                       "1\n");
    diag_fini(&d);
}
END_TEST

START_TEST(yaml_alias_is_refused)
{
    struct diag d;
    diag_init(&d, NULL);
    ck_assert_ptr_null(parse("a: &x [1, 2]\nb: [*x, *x]\n", &d));
    ck_assert_int_eq(diag_errors(&d), 1);
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "t.yaml:2:5: error: YAML "
                                                   "alias '*x'"));
    diag_fini(&d);
}
END_TEST

START_TEST(yaml_tab_indent_gets_a_hint)
{
    struct diag d;
    diag_init(&d, NULL);
    ck_assert_ptr_null(parse("tags:\n\t- a\n", &d));
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "t.yaml:2:1: error: "));
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "tabs"));
    diag_fini(&d);
}
END_TEST

START_TEST(yaml_nesting_is_bounded)
{
    struct diag d;
    struct buf b;
    diag_init(&d, NULL);
    buf_init(&b);
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, '[');
    ck_assert_ptr_null(parse(buf_str(&b), &d));
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "nested deeper"));
    buf_fini(&b);
    diag_fini(&d);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(buf_html_escapes_five_characters),
    TCHECK_CASE(yaml_scalars_resolve_as_yaml_1_1),
    TCHECK_CASE(yaml_duplicate_key_is_an_error_with_position),
    TCHECK_CASE(yaml_alias_is_refused),
    TCHECK_CASE(yaml_tab_indent_gets_a_hint),
    TCHECK_CASE(yaml_nesting_is_bounded),
};
TCHECK_MAIN("val", cases)
