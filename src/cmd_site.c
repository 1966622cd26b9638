/* blog build, blog check, blog new: the site commands' command lines. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "fs.h"
#include "hugepages.h"
#include "post.h"
#include "site.h"
#include "xmem.h"

static const char build_help[] =
    "usage: blog build [--site DIR] [--out DIR] [--drafts] [--full]\n"
    "                  [--link-check=error|warn] [--quiet]\n"
    "\n"
    "Renders the site in DIR (default: .) into the output folder (default:\n"
    "public/ inside DIR).  The new site is written beside it and swapped in\n"
    "only when the build succeeds, so a failed build changes nothing.\n"
    "A build renders only the pages whose content changed since the last\n"
    "one (what it needs to know is kept in .public.blog/ beside public/).\n"
    "\n"
    "  --site DIR          the site: site.yaml, content/, templates/, assets/\n"
    "  --out DIR           output folder (default: DIR/public)\n"
    "  --drafts            also render posts with draft: true or published: false\n"
    "  --full              read and render everything, ignoring the last build\n"
    "  --link-check=MODE   error (default) or warn for links to missing files\n"
    "  --quiet             do not print warnings\n"
    "\n"
    "Exit status: 0 success, 1 content error, 2 usage error.\n";

static const char check_help[] =
    "usage: blog check [--site DIR] [--drafts] [--link-check=error|warn]\n"
    "\n"
    "Reads and renders everything 'blog build' would, reports every error,\n"
    "and writes nothing.\n"
    "\n"
    "Exit status: 0 no errors, 1 content error, 2 usage error.\n";

static const char new_help[] =
    "usage: blog new [--site DIR] [--date 'YYYY-MM-DD HH:MM:SS'] \"Title\"\n"
    "\n"
    "Creates content/posts/<slug>.md with front matter (title, the current\n"
    "date, empty tags) for a new post, and prints its path.  Refuses to\n"
    "overwrite an existing file.\n"
    "\n"
    "Exit status: 0 created, 1 the file exists, 2 usage error.\n";

static int usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "blog %s: error: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; try 'blog %s --help'\n", cmd);
    return 2;
}

/* Takes "--opt VALUE" or "--opt=VALUE"; advances *i past what it used. */
static const char *
opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];

    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] == '\0' && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int
site_cmd(int argc, char **argv, bool dry_run)
{
    const char *cmd = dry_run ? "check" : "build";
    struct site_opts o = {.site_dir = ".", .out_dir = NULL,
                          .drafts = false, .dry_run = dry_run,
                          .exiting = true};
    struct diag d;
    char *out = NULL;
    bool quiet = false, ok;
    const char *v;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(dry_run ? check_help : build_help, stdout);
            return 0;
        } else if (strcmp(a, "--drafts") == 0) {
            o.drafts = true;
        } else if (!dry_run && strcmp(a, "--full") == 0) {
            o.full = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = true;
        } else if ((v = opt_value(argc, argv, &i, "--site")) != NULL) {
            o.site_dir = v;
        } else if (!dry_run &&
                   (v = opt_value(argc, argv, &i, "--out")) != NULL) {
            o.out_dir = v;
        } else if ((v = opt_value(argc, argv, &i, "--link-check")) != NULL) {
            if (strcmp(v, "warn") == 0)
                o.link_check = SITE_LINKS_WARN;
            else if (strcmp(v, "error") == 0)
                o.link_check = SITE_LINKS_ERROR;
            else
                return usage_error(cmd,
                                   "--link-check takes 'error' or 'warn', "
                                   "not '%s'", v);
        } else {
            return usage_error(cmd, "unknown option '%s'", a);
        }
    }
    if (o.out_dir == NULL)
        o.out_dir = out = fs_join(o.site_dir, "public");
    /* malloc's memory in huge pages (hugepages.h) */
    hugepages_start();
    diag_init(&d, stderr);
    d.no_warnings = quiet;
    ok = site_build(&o, &d);
    if (!ok && diag_errors(&d) > 0)
        fprintf(stderr, "blog %s: %d error%s; %s\n", cmd, diag_errors(&d),
                diag_errors(&d) == 1 ? "" : "s",
                dry_run ? "nothing was written"
                        : "the previous output was left as it was");
    diag_fini(&d);
    free(out);
    return ok ? 0 : 1;
}

int
cmd_build(int argc, char **argv)
{
    return site_cmd(argc, argv, false);
}

int
cmd_check(int argc, char **argv)
{
    return site_cmd(argc, argv, true);
}

int
cmd_new(int argc, char **argv)
{
    const char *site = ".", *title = NULL, *date = NULL, *v;
    char *slug = NULL, *dir = NULL, *path = NULL, datebuf[32];
    struct buf b;
    struct diag d;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(new_help, stdout);
            return 0;
        } else if ((v = opt_value(argc, argv, &i, "--site")) != NULL) {
            site = v;
        } else if ((v = opt_value(argc, argv, &i, "--date")) != NULL) {
            date = v;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error("new", "unknown option '%s'", argv[i]);
        } else if (title != NULL) {
            return usage_error("new",
                               "one title only; quote it: blog new \"%s ...\"",
                               title);
        } else {
            title = argv[i];
        }
    }
    if (title == NULL || *title == '\0')
        return usage_error("new", "a title is needed: blog new \"Title\"");
    slug = post_slugify(title);
    if (*slug == '\0') {
        free(slug);
        return usage_error("new", "the title '%s' has no letters or digits "
                                  "to make a file name of", title);
    }
    if (date == NULL) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(datebuf, sizeof datebuf, "%Y-%m-%d %H:%M:%S", &tm);
        date = datebuf;
    }
    dir = xasprintf("%s/content/posts", site);
    path = xasprintf("%s/%s.md", dir, slug);
    diag_init(&d, stderr);
    if (fs_exists(path)) {
        diag_error(&d, path, 0, 0,
                   "a post with this name exists; choose another title");
        goto out;
    }
    buf_init(&b);
    buf_puts(&b, "---\ntitle: ");
    /* a double-quoted YAML string holds any title */
    buf_putc(&b, '"');
    for (const char *p = title; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, *p);
    }
    buf_printf(&b, "\"\ndate: %s\ntags: []\n---\n\n", date);
    if (fs_write(path, b.data, b.len, &d)) {
        printf("%s\n", path);
        rc = 0;
    }
    buf_fini(&b);
out:
    diag_fini(&d);
    free(slug);
    free(dir);
    free(path);
    return rc;
}
