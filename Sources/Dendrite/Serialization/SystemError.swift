#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A system error number (`errno`) in words, plainer than `strerror` for the ones a user
/// can fix: `permission denied`, `no space left on the device`, …
func describeSystemError(_ code: Int32) -> String {
  switch code {
  case EACCES, EPERM: "permission denied"
  case ENOSPC: "no space left on the device"
  case EROFS: "the file system is read-only"
  case EDQUOT: "disk quota exceeded"
  default: String(cString: strerror(code))
  }
}
