//! SKELETON: the storage engine lands here (see /work/notes/storage-engine.md).
