/* seed.h — cloud-init NoCloud seeds built in memory: the user-data and
 * meta-data YAML, and an ISO 9660 image (volume "cidata", with Rock Ridge
 * and Joliet so Linux sees the lower-case names) that carries them. */
#ifndef VMTUI_SEED_H
#define VMTUI_SEED_H

#include <stddef.h>
#include <time.h>

#define SEED_LABEL "cidata"
#define SEED_MAX_FILES 32
#define SEED_MAX_FILE_SIZE (16u << 20) /* each file must be smaller */

/* One file of the image's root directory. The name is 1..64 printable ASCII
 * characters, none of / \ ; * : ? and not "." or "..". */
struct seed_file {
	const char *name;
	const char *data;
	size_t len;
};

/* Build an ISO 9660 image labelled `label` (NULL: "cidata"; at most 16
 * printable ASCII characters) holding `files` in its root; every timestamp
 * is `when`, so equal inputs give equal bytes. Returns a malloc'd buffer and
 * its size in *len, or NULL with errno EINVAL when the input is unfit. */
unsigned char *seed_iso(const struct seed_file *files, size_t nfiles, const char *label,
                        time_t when, size_t *len);

/* NoCloud user-data: malloc'd "#cloud-config\n" YAML with hostname (omitted
 * when NULL), ssh_authorized_keys and runcmd (omitted when empty); every
 * string is double-quoted. NULL if a string is not valid UTF-8. */
char *seed_user_data(const char *hostname, char *const *keys, size_t nkeys,
                     char *const *runcmd, size_t nruncmd);

/* NoCloud meta-data: instance-id and local-hostname (omitted when NULL),
 * double-quoted. NULL if instance_id is NULL or a string is not UTF-8. */
char *seed_meta_data(const char *instance_id, const char *hostname);

#endif
