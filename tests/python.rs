//! Python hand-offs, test set-up and presence tests through the binary.

use crate::support::*;

const LAUNCHER: &str = "import os\nimport subprocess\n\n\ndef start(cmd, run_id):\n    env = os.environ.copy()\n    env[\"WORKER_ID\"] = run_id\n    subprocess.run(\n        cmd,\n        env={**env, \"RUN_ID\": run_id},  # the child reads both\n        check=True,\n    )\n";

#[test]
fn a_variable_handed_to_a_child_is_info_in_the_reader_and_fix_leaves_it() {
    let child = "import os\n\nRUN_ID = os.environ[\"RUN_ID\"]\nWORKER = os.getenv(\"WORKER_ID\")\nQUEUE = os.getenv(\"QUEUE_URL\")\n";
    let t = tree(&[("worker/launch.py", LAUNCHER), ("worker/child.py", child)]);
    let doc = json(t.path(), &[]);
    for name in ["RUN_ID", "WORKER_ID"] {
        let f = finding_of(&doc, name);
        assert_eq!(f["severity"], "info", "{f}");
        assert_eq!(f["role"]["kind"], "hand-off", "{f}");
        assert!(f["fix"].is_null(), "{f}");
    }
    assert!(
        finding_of(&doc, "RUN_ID")["role"]["line"] == 10,
        "{}",
        finding_of(&doc, "RUN_ID")
    );
    // A read of a variable nobody writes keeps its safe fix.
    assert_eq!(finding_of(&doc, "QUEUE_URL")["severity"], "warning");
    assert!(!finding_of(&doc, "QUEUE_URL")["fix"].is_null());
    let out = shush(t.path())
        .args(["check", "--fix", "--unsafe-fixes", "."])
        .output()
        .unwrap();
    // The pass before the fixes names the writer as the findings name files.
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(said.contains("(worker/launch.py:10)"), "{said}");
    let dir = t.path().to_string_lossy().to_string();
    assert!(!said.contains(&dir), "{said}");
    let fixed = read(t.path(), "worker/child.py");
    assert!(fixed.contains("os.environ[\"RUN_ID\"]"), "{fixed}");
    assert!(fixed.contains("os.getenv(\"WORKER_ID\")"), "{fixed}");
    assert!(fixed.contains("get_config_value(\"queue_url\")"), "{fixed}");
}

#[test]
fn a_variable_a_test_sets_is_test_setup_in_that_file_only() {
    let test = "import os\n\n\ndef test_flag(monkeypatch):\n    monkeypatch.setenv(\"FEATURE_X\", \"1\")\n    assert os.environ[\"FEATURE_X\"] == \"1\"\n";
    let app = "import os\n\nFLAG = os.getenv(\"FEATURE_X\")\n";
    let t = tree(&[("tests/test_flags.py", test), ("app/flags.py", app)]);
    let doc = json(t.path(), &[]);
    let findings = doc["findings"].as_array().unwrap();
    let in_test = findings
        .iter()
        .find(|f| f["path"] == "tests/test_flags.py")
        .unwrap();
    assert_eq!(in_test["severity"], "info", "{in_test}");
    assert_eq!(in_test["role"]["kind"], "test-setup", "{in_test}");
    let in_app = findings
        .iter()
        .find(|f| f["path"] == "app/flags.py")
        .unwrap();
    assert_eq!(in_app["severity"], "warning", "{in_app}");
    assert!(in_app["role"].is_null(), "{in_app}");
}

#[test]
fn a_presence_test_gets_an_unsafe_fix() {
    let code = "import os\n\nif \"SENTRY_DSN\" in os.environ:\n    pass\nDEBUG = \"APP_DEBUG\" not in os.environ\n";
    let t = tree(&[("app/boot.py", code)]);
    let doc = json(t.path(), &[]);
    assert_eq!(rules(&doc), ["py-env-presence", "py-env-presence"]);
    shush(t.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    assert_eq!(read(t.path(), "app/boot.py"), code, "a safe --fix left it");
    shush(t.path())
        .args(["check", "--fix", "--unsafe-fixes", "."])
        .output()
        .unwrap();
    let fixed = read(t.path(), "app/boot.py");
    assert!(
        fixed.contains("if get_config_value(\"sentry_dsn\", None) is not None:"),
        "{fixed}"
    );
    assert!(
        fixed.contains("DEBUG = get_config_value(\"app_debug\", None) is None"),
        "{fixed}"
    );
}

#[test]
fn computed_names_and_removals_are_no_hand_offs() {
    let writer = "import os\nimport subprocess\n\nname = \"JOB_TOKEN\"\nos.environ[name] = \"x\"\nos.environ.pop(\"JOB_CURSOR\", None)\nsubprocess.run([\"job\"], env={name: \"1\"})\n";
    let reader =
        "import os\n\nTOKEN = os.getenv(\"JOB_TOKEN\")\nCURSOR = os.getenv(\"JOB_CURSOR\")\n";
    let t = tree(&[("jobs/writer.py", writer), ("jobs/reader.py", reader)]);
    let doc = json(t.path(), &[]);
    for name in ["JOB_TOKEN", "JOB_CURSOR"] {
        let f = finding_of(&doc, name);
        assert_ne!(f["severity"], "info", "{f}");
        assert!(f["role"].is_null(), "{f}");
        assert!(!f["fix"].is_null(), "{f}");
    }
}
