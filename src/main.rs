//! The `callcoach` binary: a thin wrapper over the library's command line.

fn main() {
    // Piped into `head`: stop quietly like other command-line tools, not with a panic.
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to its default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(callcoach::cli::main());
}
