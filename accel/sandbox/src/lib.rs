//! SKELETON: the sandbox engine lands here (see /work/notes/sandbox-common.md).
