//! The `callcoach` binary: a thin wrapper over the library's command line.

// Compiling patterns and tagging sentences allocate many small objects: mimalloc does that
// faster than the system allocator, for a single file and a batch alike. Built without
// transparent huge pages (`no_thp`): with them each thread's few live megabytes were backed
// by whole 2 MB pages, which doubled peak memory (75 -> 40 MB on a batch) for no speed.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Piped into `head`: stop quietly like other command-line tools, not with a panic.
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(callcoach::cli::main());
}
