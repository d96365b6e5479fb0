// File-system helpers shared by the layers above: reading, atomic writing,
// copying trees the way upstream kolla does, and scratch folders.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kb::util {

/// Reads a whole file. Returns nullopt and sets `err` when it cannot.
std::optional<std::string> ReadFile(const std::string& path,
                                    std::string* err);

/// Writes `data` to `path` through a temporary file in the same folder and a
/// rename, so a reader never sees a half-written file. Returns an empty
/// string on success, else a one-line error.
std::string WriteFileAtomic(const std::string& path, const std::string& data);

/// Sets the access and modification times of every file and folder below
/// `root` (not `root` itself) to the epoch, as upstream's set_time does, so
/// the engine's layer cache keys on content only.
void SetTreeTimesToEpoch(const std::string& root);

/// Creates a fresh folder below the system temporary folder whose name
/// starts with `prefix`. Returns "" when it cannot.
std::string MakeTempDir(const std::string& prefix);

/// Turns a path into an absolute, lexically normal one (no symlink
/// resolution).
std::string AbsolutePath(const std::string& path);

}  // namespace kb::util
