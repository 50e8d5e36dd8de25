#ifndef COSTPER_FS_H
#define COSTPER_FS_H
/// Atomically exchanges two paths (Linux renameat2 RENAME_EXCHANGE). Returns 0, or -1 with errno
/// set (EINVAL / ENOSYS where the file system or kernel cannot exchange).
int costper_exchange_paths(const char *a, const char *b);
/// fsync of a path (file or directory). Returns 0 or -1 with errno.
int costper_fsync_path(const char *path);
/// Registers a read-only file mapping [base, base + length) as guarded: a SIGBUS inside it (the file
/// was truncated while mapped) maps a zero page over the fault and marks the region, instead of
/// killing the process. Returns a slot (>= 0) or -1 when every slot is taken (then unguarded).
int costper_guard_mapping(const void *base, unsigned long length);
/// Forgets a guarded mapping (before munmap).
void costper_unguard_mapping(int slot);
/// 1 when a read of the guarded mapping faulted past the end of its file.
int costper_mapping_faulted(int slot);
/// Runs the calling thread only on CPU time no other thread of the machine wants (Linux
/// SCHED_IDLE): the background hash of a large input, so that it waits for a free core instead of
/// taking one from the readers. Returns 0, or -1 where the policy is not available (no change).
int costper_run_when_idle(void);
/// The calling thread, for costper_run_normally.
unsigned long costper_current_thread(void);
/// Puts a thread back to the normal policy (someone waits for its work). Returns 0 or -1.
int costper_run_normally(unsigned long thread);
#endif
