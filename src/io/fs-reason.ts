/**
 * Why a file-system call failed, as a reader understands it: a few words, then
 * the system's code for a search (`no space left on the device (ENOSPC)`).
 */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long for the file system',
  EMFILE: 'too many open files',
  EIO: 'input/output error from the device',
  EFBIG: 'too large (a pipe may give at most 1 MB)',
  EDEVICE: 'a device (a terminal, say), not a file',
};

export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return err instanceof Error ? err.message : String(err);
  const reason = Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
  return reason ? `${reason} (${code})` : code;
}
