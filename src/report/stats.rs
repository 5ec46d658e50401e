//! `--stats`: the run's counters and timings as a few aligned lines on the writer it is
//! given (stderr, after the results), or one JSON object with `--format json`. Never
//! decides what is counted.

use std::io::{self, Write};
use std::time::Duration;

use crate::stats::Stats;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

/// Writes the stats as one JSON object on one line (with `--format json`); times in
/// milliseconds.
pub fn write_json(stats: &Stats, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, stats)?;
    writeln!(out)
}

/// Writes the stats block.
pub fn write(stats: &Stats, out: &mut dyn Write) -> io::Result<()> {
    let t = &stats.times;
    writeln!(out, "stats:")?;
    writeln!(
        out,
        "  files      {} seen, {} scanned, {} skipped{}",
        stats.files_seen,
        stats.files_scanned,
        stats.skipped.values().sum::<usize>(),
        if stats.skipped.is_empty() {
            String::new()
        } else {
            let reasons: Vec<String> = stats
                .skipped
                .iter()
                .map(|(r, n)| format!("{n} {}", r.as_str()))
                .collect();
            format!(" ({})", reasons.join(", "))
        }
    )?;
    writeln!(out, "  bytes      {:.1} MB read", mb(stats.bytes_read))?;
    if let Some(h) = &stats.history {
        writeln!(
            out,
            "  history    {} commits, {} trees read, {} blobs seen, {} scanned ({:.1} MB)",
            h.commits,
            h.trees,
            h.blobs_seen,
            h.blobs_scanned,
            mb(h.bytes)
        )?;
    }
    for (language, l) in &stats.languages {
        if *language == "text" {
            writeln!(
                out,
                "  {language:<10} {} files, {:.1} MB (secret rules only)",
                l.files,
                mb(l.bytes)
            )?;
        } else {
            writeln!(
                out,
                "  {language:<10} {} files, {:.1} MB; parsed {} ({:.1} MB), prefiltered out {}",
                l.files,
                mb(l.bytes),
                l.parsed,
                mb(l.parsed_bytes),
                l.files - l.parsed
            )?;
        }
    }
    writeln!(
        out,
        "  prefilter  {} source files prefiltered out; {} files matched a secret keyword ({} rule runs)",
        stats.prefiltered_out, stats.secret_files_triggered, stats.secret_rules_run
    )?;
    writeln!(out, "  findings   {}", stats.findings)?;
    if stats.allowlisted.total() > 0 {
        writeln!(
            out,
            "  allowlist  {} secrets left out by the config's allowlists ({})",
            stats.allowlisted.total(),
            stats.allowlisted.describe()
        )?;
    }
    if stats.handoffs > 0 {
        writeln!(
            out,
            "  hand-offs  {} variables written for child processes (their reads get no fix)",
            stats.handoffs
        )?;
    }
    writeln!(
        out,
        "  time       walk {}, scan {}, collect {}, report {}, total {} ({} threads)",
        ms(t.walk),
        ms(t.scan),
        ms(t.collect),
        ms(t.report),
        ms(t.total),
        stats.threads
    )?;
    writeln!(
        out,
        "  cpu        read {}, env reads {}, secrets {}, fixes {} (summed over threads)",
        ms(t.cpu_read),
        ms(t.cpu_env),
        ms(t.cpu_secrets),
        ms(t.cpu_fix)
    )?;
    let env: Vec<String> = stats
        .languages
        .iter()
        .filter(|(language, l)| **language != "text" && l.parsed > 0)
        .map(|(language, l)| format!("{language} {}", ms(l.env_time)))
        .collect();
    if !env.is_empty() {
        writeln!(
            out,
            "  cpu env    {} (prefilter, parse and detector)",
            env.join(", ")
        )?;
    }
    // The secret rules by family (their pack), then the costliest rules.
    let mut packs: Vec<(&str, crate::stats::RuleCost)> = Vec::new();
    for cost in &stats.secret_rules {
        let at = match packs.iter().position(|(p, _)| *p == cost.pack) {
            Some(at) => at,
            None => {
                packs.push((cost.pack, crate::stats::RuleCost::default()));
                packs.len() - 1
            }
        };
        let sum = &mut packs[at].1;
        sum.files += cost.files;
        sum.windows += cost.windows;
        sum.window_bytes += cost.window_bytes;
        sum.hits += cost.hits;
        sum.time += cost.time;
    }
    packs.sort_by(|a, b| b.1.time.cmp(&a.1.time).then(a.0.cmp(b.0)));
    let line = |c: &crate::stats::RuleCost| {
        format!(
            "{} ({} runs, {} windows, {:.1} MB, {} hits)",
            ms(c.time),
            c.files,
            c.windows,
            mb(c.window_bytes),
            c.hits
        )
    };
    for (pack, cost) in &packs {
        writeln!(out, "  cpu pack   {pack}: {}", line(cost))?;
    }
    for cost in stats.secret_rules.iter().take(8) {
        writeln!(out, "  cpu rule   {}: {}", cost.rule, line(cost))?;
    }
    let secs = t.total.as_secs_f64();
    if secs > 0.0 {
        writeln!(
            out,
            "  throughput {:.0} files/s, {:.1} MB/s",
            stats.files_scanned as f64 / secs,
            mb(stats.bytes_read) / secs
        )?;
    }
    Ok(())
}
