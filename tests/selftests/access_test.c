// SPDX-License-Identifier: GPL-2.0
/*
 * access_test: who may open /dev/parclass. Without the udev rule the node
 * is the module's own, 0600 root:root, and no other user opens it, lp
 * member or not. With the rule's effect (read from the rule file the
 * tools install, /lib/udev/rules.d/60-parclass.rules, staged by lane.sh:
 * the guest has no udevd), a user in the rule's group opens it and
 * CONNECTs, and a user outside the group gets EACCES at open(). The node's
 * mode and owner are restored afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "kselftest_harness.h"

#define NODE "/dev/parclass"
#define RULE "/lib/udev/rules.d/60-parclass.rules"
#define GROUP_FILE "/etc/group"
/* Debian's lp group, for a guest without /etc/group. */
#define LP_GID 7
#define USER_IN 1000
#define USER_OUT 1001
#define GID_OUT 1001

struct rule_effect {
	int matched;
	mode_t mode;
	char group[64];
	char error[160];
};

/* The kernel name and subsystem of the node, as udev matches them. */
static int match_key(const char *key, const char *value)
{
	char link[256], *sub;
	ssize_t n;

	if (!strcmp(key, "KERNEL"))
		return !fnmatch(value, "parclass", 0);
	if (!strcmp(key, "SUBSYSTEM")) {
		n = readlink("/sys/class/misc/parclass/subsystem", link,
			     sizeof(link) - 1);
		if (n < 0)
			return 0;
		link[n] = '\0';
		sub = strrchr(link, '/');
		return !fnmatch(value, sub ? sub + 1 : link, 0);
	}
	return -1;
}

/*
 * parse_rule() - what the rule file does to /dev/parclass: the MODE and
 * GROUP of the rules whose match keys (KERNEL, SUBSYSTEM) all match it.
 * Any other key is an error, so a rule this parser cannot read fails.
 */
static void parse_rule(const char *path, struct rule_effect *e)
{
	char line[1024], *p, *key, *op, *val, *end;
	int ok, m;
	FILE *f;

	memset(e, 0, sizeof(*e));
	f = fopen(path, "r");
	if (!f) {
		snprintf(e->error, sizeof(e->error), "%s: %s", path,
			 strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		struct rule_effect r = { 0 };

		p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\n' || !*p)
			continue;
		ok = 1;
		r.mode = (mode_t)-1;
		while (*p && *p != '\n') {
			key = p;
			op = key + strcspn(key, "=!+:");
			val = strchr(op, '"');
			end = val ? strchr(val + 1, '"') : NULL;
			if (!end) {
				snprintf(e->error, sizeof(e->error),
					 "unreadable rule: %.100s", line);
				goto out;
			}
			*val++ = '\0';
			*end = '\0';
			if (!strcmp(op, "==")) {
				*op = '\0';
				m = match_key(key, val);
				if (m < 0) {
					snprintf(e->error, sizeof(e->error),
						 "unknown match key %.64s", key);
					goto out;
				}
				ok &= m;
			} else if (!strcmp(op, "=") || !strcmp(op, ":=")) {
				*op = '\0';
				if (!strcmp(key, "MODE")) {
					r.mode = strtoul(val, NULL, 8);
				} else if (!strcmp(key, "GROUP")) {
					snprintf(r.group, sizeof(r.group), "%s",
						 val);
				} else {
					snprintf(e->error, sizeof(e->error),
						 "unknown assignment %.64s",
						 key);
					goto out;
				}
			} else {
				snprintf(e->error, sizeof(e->error),
					 "unknown operator in %.64s", key);
				goto out;
			}
			p = end + 1;
			p += strspn(p, ", \t");
		}
		if (!ok)
			continue;
		e->matched = 1;
		if (r.mode != (mode_t)-1)
			e->mode = r.mode;
		if (r.group[0])
			memcpy(e->group, r.group, sizeof(e->group));
	}
out:
	fclose(f);
}

/* group_gid() - NAME's gid in /etc/group, or -1. */
static int group_gid(const char *name)
{
	char line[512], *gid;
	size_t len = strlen(name);
	FILE *f = fopen(GROUP_FILE, "r");
	int ret = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, len) || line[len] != ':')
			continue;
		gid = strchr(line + len + 1, ':');
		if (gid)
			ret = atoi(gid + 1);
		break;
	}
	fclose(f);
	return ret;
}

/*
 * as_user() - in a child with uid @uid, gid @gid and the supplementary
 * groups @groups, open the node, CONNECT to port 0 and DISCONNECT.
 * Returns the open() errno (0: it opened), and the errno of CONNECT or
 * DISCONNECT (0: both worked) in @connect; -1 if the child failed.
 */
static int as_user(uid_t uid, gid_t gid, const gid_t *groups, int ngroups,
		   int *connect)
{
	int pfd[2], res[2] = { -1, -1 }, status;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		struct parclass_connect c = { .size = sizeof(c), .port = 0 };
		struct parclass_disconnect d = { .size = sizeof(d) };
		int fd;

		close(pfd[0]);
		if (setgroups(ngroups, groups) || setgid(gid) || setuid(uid) ||
		    getuid() != uid || geteuid() != uid)
			_exit(2);
		fd = open(NODE, O_RDWR | O_CLOEXEC);
		res[0] = fd < 0 ? errno : 0;
		res[1] = EBADF;
		if (fd >= 0)
			res[1] = ioctl(fd, PARCLASS_IOC_CONNECT, &c) ? errno : 0;
		d.token = c.token;
		if (!res[1])
			res[1] = ioctl(fd, PARCLASS_IOC_DISCONNECT, &d) ? errno : 0;
		if (write(pfd[1], res, sizeof(res)) != sizeof(res))
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], res, sizeof(res)) != sizeof(res))
		res[0] = -1;
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	*connect = res[1];
	return res[0];
}

FIXTURE(node) {
	struct stat orig;
	int made_group_file;
	int lp;
};

FIXTURE_SETUP(node)
{
	ASSERT_EQ(0, stat(NODE, &self->orig));
	ASSERT_TRUE(S_ISCHR(self->orig.st_mode));
	self->made_group_file = 0;
	self->lp = group_gid("lp");
	if (self->lp < 0 && access(GROUP_FILE, F_OK)) {
		/* No /etc/group in the guest: Debian's root and lp. */
		FILE *f = fopen(GROUP_FILE, "w");

		ASSERT_NE(NULL, f);
		fprintf(f, "root:x:0:\nlp:x:%d:\n", LP_GID);
		ASSERT_EQ(0, fclose(f));
		self->made_group_file = 1;
		self->lp = group_gid("lp");
	}
	ASSERT_LE(0, self->lp) TH_LOG("no group lp in " GROUP_FILE);
}

FIXTURE_TEARDOWN(node)
{
	/* Whatever the test did, the node is the module's again. */
	EXPECT_EQ(0, chown(NODE, self->orig.st_uid, self->orig.st_gid));
	EXPECT_EQ(0, chmod(NODE, self->orig.st_mode & 07777));
	if (self->made_group_file)
		unlink(GROUP_FILE);
}

TEST_F(node, default_node_is_root_only)
{
	gid_t lp = self->lp;
	int connect;

	EXPECT_EQ(0600, self->orig.st_mode & 07777);
	EXPECT_EQ(0, self->orig.st_uid);
	EXPECT_EQ(0, self->orig.st_gid);
	/* Neither a user in lp nor one outside it opens it. */
	EXPECT_EQ(EACCES, as_user(USER_IN, GID_OUT, &lp, 1, &connect));
	EXPECT_EQ(EACCES, as_user(USER_OUT, GID_OUT, NULL, 0, &connect));
	/* root does. */
	EXPECT_EQ(0, as_user(0, 0, NULL, 0, &connect));
	EXPECT_EQ(0, connect);
}

TEST_F(node, rule_gives_the_node_to_lp)
{
	struct rule_effect e;

	parse_rule(RULE, &e);
	ASSERT_EQ(0, e.error[0]) TH_LOG("%s", e.error);
	ASSERT_TRUE(e.matched) TH_LOG("no rule of " RULE " matches " NODE);
	EXPECT_EQ(0660, e.mode);
	EXPECT_STREQ("lp", e.group);
}

TEST_F(node, lp_member_connects_outsider_gets_eacces)
{
	struct rule_effect e;
	gid_t lp = self->lp;
	struct stat st;
	int gid, connect = -1;

	/* Apply the rule as udev would: its GROUP and MODE. */
	parse_rule(RULE, &e);
	ASSERT_EQ(0, e.error[0]) TH_LOG("%s", e.error);
	ASSERT_TRUE(e.matched);
	ASSERT_NE(0, e.group[0]) TH_LOG("the rule sets no GROUP");
	gid = group_gid(e.group);
	ASSERT_LE(0, gid) TH_LOG("group %s is not in " GROUP_FILE, e.group);
	ASSERT_EQ(0, chown(NODE, 0, gid));
	ASSERT_EQ(0, chmod(NODE, e.mode));
	ASSERT_EQ(0, stat(NODE, &st));
	ASSERT_EQ(gid, st.st_gid);

	/* A user whose only extra group is lp opens it and CONNECTs. */
	EXPECT_EQ(0, as_user(USER_IN, GID_OUT, &lp, 1, &connect));
	EXPECT_EQ(0, connect);
	/* A user outside it gets EACCES at open(). */
	EXPECT_EQ(EACCES, as_user(USER_OUT, GID_OUT, NULL, 0, &connect));
	/* lp as the primary group is membership too. */
	EXPECT_EQ(0, as_user(USER_OUT, lp, NULL, 0, &connect));
	EXPECT_EQ(0, connect);
}

TEST_HARNESS_MAIN
