#define _GNU_SOURCE
#include "costper_fs.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <pthread.h>
#ifdef __linux__
#include <sys/syscall.h>
#include <linux/fs.h>
#endif

int costper_exchange_paths(const char *a, const char *b) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int costper_fsync_path(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int r = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return r;
}

/* Guarded mappings: a file truncated while costper reads its mapping raises SIGBUS on the pages past
   the new end. The handler (async-signal-safe: only mmap and atomics) maps an anonymous zero page
   over the faulting page, marks the region and returns, so the read resumes on zeros; the caller
   checks the mark after reading and stops with a sentence naming the file. Faults outside a guarded
   region get the default action. */
#define COSTPER_GUARD_SLOTS 256
static struct { _Atomic uintptr_t base; _Atomic uintptr_t length; _Atomic int faulted; } guards[COSTPER_GUARD_SLOTS];
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;
static struct sigaction previous_bus;

static void costper_sigbus(int sig, siginfo_t *info, void *context) {
    uintptr_t addr = (uintptr_t)info->si_addr;
    for (int i = 0; i < COSTPER_GUARD_SLOTS; i++) {
        uintptr_t b = guards[i].base, n = guards[i].length;
        if (b != 0 && addr >= b && addr < b + n) {
            long page = sysconf(_SC_PAGESIZE);
            uintptr_t start = addr & ~((uintptr_t)page - 1);
            void *p = mmap((void *)start, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            if (p != MAP_FAILED) { guards[i].faulted = 1; return; }
        }
    }
    /* Not ours: the previous action, or the default one. */
    if (previous_bus.sa_flags & SA_SIGINFO) {
        if (previous_bus.sa_sigaction) { previous_bus.sa_sigaction(sig, info, context); return; }
    } else if (previous_bus.sa_handler != SIG_DFL && previous_bus.sa_handler != SIG_IGN && previous_bus.sa_handler != NULL) {
        previous_bus.sa_handler(sig); return;
    }
    signal(SIGBUS, SIG_DFL);
    raise(SIGBUS);
}

static void install_guard(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = costper_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &previous_bus);
}

int costper_guard_mapping(const void *base, unsigned long length) {
    pthread_once(&guard_once, install_guard);
    for (int i = 0; i < COSTPER_GUARD_SLOTS; i++) {
        uintptr_t expected = 0;
        if (__atomic_compare_exchange_n((uintptr_t *)&guards[i].base, &expected, (uintptr_t)1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            guards[i].faulted = 0;
            guards[i].length = length;
            guards[i].base = (uintptr_t)base;
            return i;
        }
    }
    return -1;
}

void costper_unguard_mapping(int slot) {
    if (slot < 0 || slot >= COSTPER_GUARD_SLOTS) return;
    guards[slot].length = 0;
    guards[slot].base = 0;
}

int costper_mapping_faulted(int slot) {
    if (slot < 0 || slot >= COSTPER_GUARD_SLOTS) return 0;
    return guards[slot].faulted;
}

#include <sched.h>
int costper_run_when_idle(void) {
#ifdef __linux__
    struct sched_param p = { .sched_priority = 0 };
    return pthread_setschedparam(pthread_self(), SCHED_IDLE, &p) == 0 ? 0 : -1;
#else
    return -1;
#endif
}

unsigned long costper_current_thread(void) { return (unsigned long)pthread_self(); }

int costper_run_normally(unsigned long thread) {
    struct sched_param p = { .sched_priority = 0 };
    return pthread_setschedparam((pthread_t)thread, SCHED_OTHER, &p) == 0 ? 0 : -1;
}
