//! `shush install-hook`: writes a plain git pre-commit hook that runs
//! `shush check --staged`. Never replaces an existing hook without `--force`.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use crate::exit;

/// The hook's text.
pub const HOOK: &str = "#!/bin/sh\n# Installed by `shush install-hook`: scan what is staged before each commit.\n# Skip once with `git commit --no-verify`.\nexec shush check --staged\n";

/// Installs the hook in the repository holding the working directory.
pub fn install(force: bool, out: &mut dyn Write) -> miette::Result<i32> {
    let hooks = Command::new("git")
        .args(["rev-parse", "--git-path", "hooks"])
        .output()
        .map_err(|e| miette::miette!("cannot run git: {e}"))?;
    if !hooks.status.success() {
        return Err(miette::miette!(
            help = "run it inside the repository that should get the hook",
            "not a git repository: {}",
            String::from_utf8_lossy(&hooks.stderr).trim()
        ));
    }
    let dir = PathBuf::from(String::from_utf8_lossy(&hooks.stdout).trim());
    let path = dir.join("pre-commit");
    if path.exists() && !force {
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == HOOK {
            writeln!(out, "{} already runs shush.", path.display())
                .map_err(|e| miette::miette!("{e}"))?;
            return Ok(exit::CLEAN);
        }
        return Err(miette::miette!(
            help = "run `shush install-hook --force` to replace it, or call `shush check --staged` from it",
            "{} exists already and is not shush's hook",
            path.display()
        ));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| miette::miette!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(&path, HOOK)
        .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| miette::miette!("cannot make {} executable: {e}", path.display()))?;
    }
    writeln!(
        out,
        "Installed {}: each commit now runs `shush check --staged`.",
        path.display()
    )
    .map_err(|e| miette::miette!("{e}"))?;
    Ok(exit::CLEAN)
}
