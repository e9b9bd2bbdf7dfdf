mod patch_support;
use patch_support::{oracle, ours_apply, ours_reverse};

#[test]
fn scratch() {
    let cases: &[(&str, &str)] = &[
        ("a\r\n\r\nb\r\n", "@@ -1,3 +1,3 @@\n a\n\n-b\n+B\n"),
        ("a\r\n\r\nb\r\n", "@@ -1,3 +1,3 @@\n a\n\n\\ x\n-b\n+B\n"),
        ("a\r\n\r\nb\r\n", "@@ -1,2 +1,2 @@\n-a\n+A\n\n"),
        ("a\r\n\r\nb\r\n", "@@ -2,2 +2,2 @@\n\n-b\n+B\n"),
        ("a\nb\n", "@@ x\n-a\n+b"),
        ("a\nb\n", "@@ x\n+b"),
        ("a\nb\n", "@@ x\n+b\n@@ -1 +1 @@\n-a\n+c\n"),
        ("a\nb\n", "@@ -1 +1 @@\n-a\n+c\n@@ x\n+b\n"),
        ("a\nb\n", "@@ -0,0 +1 @@\n+z\n@@ -0,0 +1 @@\n+y\n"),
        ("a\nb\n", "@@ -5,0 +1 @@\n+z\n@@ -1,0 +1 @@\n+y\n@@ -1,0 +1 @@\n+w\n"),
        ("a\r\nb\r\n", "@@ -1 +1 @@\r\n-a\r\n+c\r\n\\ No newline\r\n"),
        ("a\nb", "@@ -2 +2 @@\n-b\r\n\\ No newline at end of file\n+c\r\n\\ No newline at end of file\r\n"),
        ("a\r\nb", "@@ -2 +2 @@\n-b\n\\ No newline at end of file\n+c\n"),
        ("a\r\nb\r\n", "@@ -2 +2 @@\n-b\n+c\n\\ No newline at end of file\n"),
        ("", "@@ -0,0 +1 @@\n+a\n"),
        ("", "@@ -1 +1 @@\n-\n+a\n"),
        ("\n", "@@ -1 +1 @@\n-\n+a\n"),
        ("x\n", "@@ -1,2 +1,2 @@\n x\n-\n+y\n\\ No newline at end of file\n"),
        ("a\nb\nc\nd\ne\n", "@@ -4,2 +4,2 @@\n d\n-e\n+E\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n"),
        ("a\nb\nc\nd\ne\n", "@@ -1,2 +1,2 @@\n-a\n+A\n b\n@@ -2,2 +2,2 @@\n b\n-c\n+C\n"),
        ("a\nb\n", "--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n\n\n--- c\n"),
        ("a\nb\n", "Index: x\nIndex: y\n"),
        ("a\nb\n", "diff --git a/x b/x\ndiff --git a/y b/y\n"),
        ("a\nb\n", "diff -r 1 x\n--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n"),
        ("a\nb\n", "--- \"a\\tb\"\t\t\n+++ \"unterminated\n@@ -1 +1 @@\n-a\n+b\n"),
        ("a\nb\n", "diff --git \"a/x\" b/y z\nrename from \"r\\101\"\nrename to s\u{2028}t\n"),
        ("a\nb\n", "diff --git a/x \"b/y\"\ncopy from \"bad\\z\"\ncopy to q\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n"),
        ("a\nb\n", "diff --git a/a b/c b/d b/e\nnew file mode 12\ndeleted file mode 7\n"),
        ("a\nb\n", "diff --git a/f b/f\nnew file mode 100644\n--- a/f\n+++ b/f\n"),
        ("a\nb\n", "diff --git a/f b/f\n--- a/f\n+++ /dev/null\ndeleted file mode 100644\n"),
        ("a\nb\n", "diff --git a/f /dev/null\ndeleted file mode 100644\n--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n"),
    ];
    let mut node = oracle();
    for &(original, patch) in cases {
        let expected = node.apply(original, patch);
        assert_eq!(ours_apply(original, patch), expected, "apply {original:?} {patch:?}");
        let expected = node.reverse(patch);
        assert_eq!(ours_reverse(patch), expected, "reverse {patch:?}");
        println!("{original:?} {patch:?} -> {expected:?}");
    }
}
