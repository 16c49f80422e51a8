//! Nothing is lost: a failed, refused or interrupted build leaves the previous
//! output byte for byte as it was; charted touches nothing outside its output
//! folder (and its own two work folders beside it); `charted new` never
//! overwrites. And the same input gives the same bytes, wherever and whenever
//! it is built.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{Site, snapshot_tree};

fn charted(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_charted"));
    cmd.args(args).env("SOURCE_DATE_EPOCH", "1795651200");
    cmd
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "failed:\n{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn build(site: &Site) -> Output {
    ok(charted(&["build", site.path().to_str().unwrap()]).output().unwrap())
}

/// Everything in the folder holding the site, except the output folder.
fn outside_output(site: &Site) -> Vec<(String, Vec<u8>)> {
    snapshot_tree(site.path()).into_iter().filter(|(rel, _)| !rel.starts_with("public/")).collect()
}

#[test]
fn a_write_error_midway_leaves_the_previous_output() {
    // Disk full, simulated with a file-size limit: every write past 8 KiB fails
    // (EFBIG). Works as root, unlike read-only folders.
    let site = Site::example();
    build(&site);
    let before = snapshot_tree(&site.out());
    site.write("content/pain/new-pain.md", "---\ntitle: A new pain\n---\nBody.\n");
    let dir = site.path().to_str().unwrap();
    let out = Command::new("bash")
        .args(["-c", "ulimit -f 8 && trap '' XFSZ && exec \"$0\" build \"$1\"", env!("CARGO_BIN_EXE_charted"), dir])
        .env("SOURCE_DATE_EPOCH", "1795651200")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write the site to"), "{stderr}");
    assert_eq!(snapshot_tree(&site.out()), before, "the previous output changed");
    let leftovers: Vec<_> = fs::read_dir(site.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().contains("charted-")), "{leftovers:?}");
}

#[test]
fn a_path_in_the_way_fails_the_build_and_keeps_everything() {
    // The work folder's name is taken by a file charted did not make.
    let site = Site::example();
    build(&site);
    let before = snapshot_tree(&site.out());
    site.write(".public.charted-tmp", "somebody's file\n");
    let out = charted(&["build", site.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("was not made by charted"));
    assert_eq!(snapshot_tree(&site.out()), before);
    assert_eq!(fs::read_to_string(site.path().join(".public.charted-tmp")).unwrap(), "somebody's file\n");
}

#[test]
fn a_site_with_errors_leaves_the_previous_output() {
    let site = Site::example();
    build(&site);
    let before = snapshot_tree(&site.out());
    site.write("content/pain/broken.md", "---\ntitle: [unclosed\n---\n");
    let out = charted(&["build", site.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot_tree(&site.out()), before);
}

#[test]
fn an_interrupted_build_is_recovered_by_the_next_one() {
    let site = Site::example();
    build(&site);
    let before = snapshot_tree(&site.out());
    // Killed between moving the old output aside and moving the new one in.
    fs::rename(site.out(), site.path().join(".public.charted-old")).unwrap();
    // And a half-written work folder from a run killed earlier.
    fs::create_dir(site.path().join(".public.charted-tmp")).unwrap();
    site.write(".public.charted-tmp/.charted-output", "");
    site.write(".public.charted-tmp/half.html", "<p>half");
    // The next build fails on a site error, and still puts the old output back.
    site.write("content/pain/broken.md", "---\ntitle: [unclosed\n---\n");
    assert_eq!(charted(&["build", site.path().to_str().unwrap()]).output().unwrap().status.code(), Some(1));
    assert_eq!(snapshot_tree(&site.out()), before);
    // Fixed, it builds and cleans up after the killed run.
    fs::remove_file(site.path().join("content/pain/broken.md")).unwrap();
    build(&site);
    assert_eq!(snapshot_tree(&site.out()), before);
    assert!(!site.path().join(".public.charted-tmp").exists());
    assert!(!site.path().join(".public.charted-old").exists());
}

#[test]
fn killed_at_any_moment_the_output_is_old_or_new_never_half() {
    let site = Site::example();
    build(&site);
    let old = snapshot_tree(&site.out());
    site.write("content/pain/new-pain.md", "---\ntitle: A new pain\n---\nBody.\n");
    let new = {
        let other = Site::example();
        other.write("content/pain/new-pain.md", "---\ntitle: A new pain\n---\nBody.\n");
        build(&other);
        snapshot_tree(&other.out())
    };
    let mut outcomes = [0usize; 2];
    let delays: Vec<u64> = (0..20).map(|i| i * i).collect(); // 0 to 361 ms, denser early
    for &delay_ms in &delays {
        let mut child = charted(&["build", site.path().to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // What a reader (or the next build) sees: the next charted run first recovers.
        charted::recover(&site.out()).unwrap();
        let now = snapshot_tree(&site.out());
        assert!(
            now == old || now == new,
            "killed after {delay_ms} ms: the output is neither the old nor the new build"
        );
        outcomes[usize::from(now == new)] += 1;
        if now == new {
            // Start the next round from the old output again.
            fs::remove_file(site.path().join("content/pain/new-pain.md")).unwrap();
            build(&site);
            site.write("content/pain/new-pain.md", "---\ntitle: A new pain\n---\nBody.\n");
        }
    }
    println!("nothing_lost: {} kills, {} left the old output, {} the new one", delays.len(), outcomes[0], outcomes[1]);
}

#[test]
fn charted_touches_nothing_outside_its_output_folder() {
    let site = Site::example();
    site.write("public-notes.txt", "beside the output\n");
    build(&site);
    let before = outside_output(&site);
    site.write("content/pain/new-pain.md", "---\ntitle: A new pain\n---\n");
    let before_with_new = outside_output(&site);
    build(&site);
    assert_eq!(outside_output(&site), before_with_new);
    assert_ne!(before, before_with_new);
    // --out elsewhere: the site folder is not touched at all.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("site");
    ok(charted(&["build", site.path().to_str().unwrap(), "--out", out.to_str().unwrap()]).output().unwrap());
    assert_eq!(outside_output(&site), before_with_new);
    let names: Vec<_> = fs::read_dir(elsewhere.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, [std::ffi::OsString::from("site")]);
}

#[test]
fn a_folder_charted_did_not_write_is_kept_unless_forced() {
    let site = Site::example();
    site.write("public/index.html", "<p>hand-written</p>\n");
    site.write("public/keep/me.txt", "mine\n");
    let before = snapshot_tree(&site.out());
    let out = charted(&["build", site.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("charted did not write") && stderr.contains("--force"), "{stderr}");
    assert_eq!(snapshot_tree(&site.out()), before);
    // With --force it is replaced, and marked, so later builds need no --force.
    ok(charted(&["build", site.path().to_str().unwrap(), "--force"]).output().unwrap());
    assert!(!site.out().join("keep").exists());
    assert!(site.out().join(charted::MARKER).is_file());
    build(&site);
}

#[test]
fn new_never_overwrites() {
    let site = Site::new().file("content/pain/slow-ci.md", "not even front matter\n");
    let before = snapshot_tree(site.path());
    let out = site.run(&["new", "pain", "Slow CI", "--site", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    // The id is taken in any folder, and a link in the way is not followed.
    let out2 = site.run(&["new", "solution", "Slow CI", "--site", site.path().to_str().unwrap()]);
    assert_eq!(out2.status.code(), Some(2));
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path().join("target.md"), site.path().join("content/pain/fast-ci.md")).unwrap();
    let out3 = site.run(&["new", "pain", "Fast CI", "--site", site.path().to_str().unwrap()]);
    assert_eq!(out3.status.code(), Some(2), "{}", String::from_utf8_lossy(&out3.stdout));
    assert!(!outside.path().join("target.md").exists());
    fs::remove_file(site.path().join("content/pain/fast-ci.md")).unwrap();
    assert_eq!(snapshot_tree(site.path()), before);
    // And the charter, once there, is never replaced.
    ok(site.run(&["new", "charter", "Our charter", "--site", site.path().to_str().unwrap()]));
    let charter = fs::read(site.path().join("content/charter.md")).unwrap();
    assert_eq!(
        site.run(&["new", "charter", "Another", "--site", site.path().to_str().unwrap()]).status.code(),
        Some(2)
    );
    assert_eq!(fs::read(site.path().join("content/charter.md")).unwrap(), charter);
}

#[test]
fn the_same_input_gives_the_same_bytes_anywhere_anytime() {
    let first = Site::example();
    let second = Site::example();
    let build_with_threads = |site: &Site, threads: &str| {
        ok(charted(&["build", site.path().to_str().unwrap()]).env("RAYON_NUM_THREADS", threads).output().unwrap())
    };
    build_with_threads(&first, "1");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    build_with_threads(&second, "4");
    let a = snapshot_tree(&first.out());
    let b = snapshot_tree(&second.out());
    assert_eq!(a.len(), b.len());
    for ((path_a, bytes_a), (path_b, bytes_b)) in a.iter().zip(&b) {
        assert_eq!(path_a, path_b);
        assert!(bytes_a == bytes_b, "{path_a} differs between the two builds");
    }
    // Nothing of where it was built leaks into the output.
    let folder = first.path().to_str().unwrap();
    assert!(a.iter().all(|(_, bytes)| !String::from_utf8_lossy(bytes).contains(folder)));
}

#[test]
fn today_comes_from_source_date_epoch() {
    // An experiment running past its end is stale only once that day has come.
    let site = Site::new().file("content/solutions/s.md", "---\ntitle: S\n---\n").file(
        "content/experiments/e.md",
        "---\ntitle: E\ntests: s\nhypothesis: h\nfalsified_if: f\nstatus: running\nends: 2026-06-01\n---\n",
    );
    let page_at = |epoch: &str| {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("o");
        ok(charted(&["build", site.path().to_str().unwrap(), "--out", target.to_str().unwrap()])
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap());
        fs::read_to_string(target.join("experiments/e/index.html")).unwrap()
    };
    let before_end = page_at("1777593600"); // 2026-05-01
    let after_end = page_at("1795651200"); // 2026-11-26
    assert_ne!(before_end, after_end);
    assert_eq!(after_end, page_at("1795651200"));
    assert!(Path::new(env!("CARGO_BIN_EXE_charted")).exists());
}

#[test]
fn a_malformed_source_date_epoch_fails_rather_than_using_the_clock() {
    // A build that silently fell back to today could not be reproduced.
    let site = Site::example();
    build(&site);
    let before = snapshot_tree(&site.out());
    for bad in ["yesterday", "1.5e9", "99999999999999999999"] {
        let out = charted(&["build", site.path().to_str().unwrap()]).env("SOURCE_DATE_EPOCH", bad).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains(&format!("SOURCE_DATE_EPOCH is `{bad}`")), "{stderr}");
        assert_eq!(snapshot_tree(&site.out()), before, "{bad}: the previous output changed");
    }
}

/// No file of the site's folder but the output changed, and no work folder left.
fn sources_untouched(site: &Site, before: &[(String, Vec<u8>)]) {
    assert_eq!(outside_output(site), before, "a file outside the output changed");
    let names: Vec<_> = fs::read_dir(site.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!names.iter().any(|n| n.to_string_lossy().contains("charted-")), "{names:?}");
}

#[test]
fn out_dot_run_inside_the_output_folder_builds_there() {
    let site = Site::example();
    build(&site);
    let before = outside_output(&site);
    site.write("content/pain/new-pain.md", "---\ntitle: A new pain\n---\nBody.\n");
    let before_with_new = outside_output(&site);
    let out = charted(&["build", "..", "--out", "."]).current_dir(site.out()).output().unwrap();
    ok(out);
    assert!(site.out().join("pain/new-pain/index.html").is_file(), "the new output is not in place");
    assert!(site.out().join(charted::MARKER).is_file());
    assert_ne!(before, before_with_new);
    sources_untouched(&site, &before_with_new);
}

#[test]
fn a_symlinked_out_replaces_the_folder_it_leads_to_and_keeps_the_link() {
    let site = Site::example();
    let elsewhere = tempfile::tempdir().unwrap();
    let real = elsewhere.path().join("published");
    fs::create_dir(&real).unwrap();
    let link = site.path().join("public-link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let before = outside_output(&site);
    for _ in 0..2 {
        ok(charted(&["build", site.path().to_str().unwrap(), "--out", link.to_str().unwrap()]).output().unwrap());
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink(), "the link was replaced");
        assert!(real.join("index.html").is_file() && real.join(charted::MARKER).is_file());
    }
    let names: Vec<_> = fs::read_dir(elsewhere.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, [std::ffi::OsString::from("published")], "work folders left beside the target");
    sources_untouched(&site, &before);
}

#[test]
fn a_symlinked_out_to_a_folder_with_other_files_is_kept_unless_forced() {
    let site = Site::example();
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("keep.txt"), "mine\n").unwrap();
    let link = site.path().join("public-link");
    std::os::unix::fs::symlink(elsewhere.path(), &link).unwrap();
    let before = snapshot_tree(elsewhere.path());
    let out = charted(&["build", site.path().to_str().unwrap(), "--out", link.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("charted did not write"));
    assert_eq!(snapshot_tree(elsewhere.path()), before);
}

#[test]
fn a_symlinked_out_into_the_sources_or_nowhere_is_refused_and_changes_nothing() {
    let site = Site::example();
    std::os::unix::fs::symlink(site.path().join("content"), site.path().join("into-content")).unwrap();
    std::os::unix::fs::symlink(site.path().join("missing"), site.path().join("nowhere")).unwrap();
    let before = snapshot_tree(site.path());
    for (link, says) in [("into-content", "content"), ("nowhere", "does not exist")] {
        let out = site.path().join(link);
        let run = charted(&["build", site.path().to_str().unwrap(), "--out", out.to_str().unwrap(), "--force"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{link}: {stderr}");
        assert!(stderr.contains(says), "{link}: {stderr}");
        assert_eq!(snapshot_tree(site.path()), before, "{link}: files changed");
    }
}
