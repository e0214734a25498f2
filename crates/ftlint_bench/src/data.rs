//! The files the benchmarks read: chat fine-tuning JSONL written by this crate's `gen_dataset.py`
//! on first use into the workspace's `benches/data/` (git-ignored), and read from there on every
//! later run. A clone needs nothing but `python3` to benchmark; `FTLINT_BENCH_FILE` points a
//! benchmark at any other JSONL file instead, such as a real dataset.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The environment variable that replaces the generated file with one of the caller's.
pub const FILE_VAR: &str = "FTLINT_BENCH_FILE";

/// A generated dataset: its size ceiling in MiB, the generator's seed, and whether the file starts
/// with a UTF-8 byte-order mark (as Azure OpenAI's docs ask; the check strips it).
#[derive(Clone, Copy, Debug)]
pub struct Dataset {
    pub mib: u32,
    pub seed: u64,
    pub bom: bool,
}

impl Dataset {
    /// `FTLINT_BENCH_FILE` if it is set, otherwise this dataset, generated if it is not there yet.
    pub fn path_or_override(self) -> PathBuf {
        match std::env::var_os(FILE_VAR) {
            Some(path) => PathBuf::from(path),
            None => self.generated(),
        }
    }

    /// The dataset's file under `benches/data/`, written by the generator if it does not exist.
    ///
    /// The generator writes to a temporary name that is renamed when it is done, so a run that was
    /// interrupted leaves no truncated file behind for the next one to mistake for the dataset.
    pub fn generated(self) -> PathBuf {
        let name = format!("gen{}-s{}{}.jsonl", self.mib, self.seed, if self.bom { "-bom" } else { "" });
        let path = data_dir().join(name);
        if path.exists() {
            return path;
        }
        std::fs::create_dir_all(data_dir()).unwrap_or_else(|e| panic!("{}: {e}", data_dir().display()));
        let partial = path.with_extension("jsonl.partial");
        let mut command = Command::new("python3");
        command
            .arg(generator())
            .args(["--mb", &self.mib.to_string(), "--seed", &self.seed.to_string(), "--out"])
            .arg(&partial)
            .arg("--manifest")
            .arg(path.with_extension("jsonl.faults.json"));
        if self.bom {
            command.arg("--bom");
        }
        eprintln!("generating {} ...", path.display());
        let status = command
            .status()
            .unwrap_or_else(|e| panic!("python3 could not be started to run {}: {e}", generator().display()));
        assert!(status.success(), "{} failed: {status}", generator().display());
        std::fs::rename(&partial, &path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }
}

/// The dataset generator, a standard-library Python script beside this crate's manifest.
pub fn generator() -> PathBuf {
    crate_dir().join("gen_dataset.py")
}

/// `benches/data/` at the top of the workspace, where `benches/compare.sh` keeps its data too.
pub fn data_dir() -> PathBuf {
    // This crate sits at `crates/ftlint_bench/` in the workspace.
    crate_dir().ancestors().nth(2).unwrap_or(crate_dir()).join("benches/data")
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}
