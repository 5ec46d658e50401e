//! The `shush` binary: parses arguments, runs the library, maps the outcome to an exit
//! code. The only place that installs the miette handler or touches stdout/stderr.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = shush::Cli::parse();
    miette::set_hook(Box::new(|_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .terminal_links(false)
                .context_lines(2)
                .build(),
        )
    }))
    .ok();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Not locked for the whole run: the progress bar draws on stderr from other threads.
    let mut err = std::io::stderr();
    let code = match shush::run(cli, &mut out, &mut err) {
        Ok(code) => code,
        // A reader that stopped reading (`shush rules list | head`) is not an error worth
        // a message, as for ripgrep or ls; the writers' errors carry the io message.
        Err(report) if format!("{report}").contains("Broken pipe") => shush::exit::CLEAN,
        Err(report) => {
            let _ = out.flush();
            let _ = writeln!(err, "{report:?}");
            shush::exit::ERROR
        }
    };
    if out.flush().is_err() {
        // A closed pipe (`shush check | head`) is not an error worth a message.
        return ExitCode::from(code as u8);
    }
    ExitCode::from(code as u8)
}
