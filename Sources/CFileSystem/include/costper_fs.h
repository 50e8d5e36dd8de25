#ifndef COSTPER_FS_H
#define COSTPER_FS_H
/// Atomically exchanges two paths (Linux renameat2 RENAME_EXCHANGE). Returns 0, or -1 with errno
/// set (EINVAL / ENOSYS where the file system or kernel cannot exchange).
int costper_exchange_paths(const char *a, const char *b);
/// fsync of a path (file or directory). Returns 0 or -1 with errno.
int costper_fsync_path(const char *path);
#endif
