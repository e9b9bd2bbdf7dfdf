import process from 'node:process';

/** `${process.platform}-${process.arch}`, e.g. `linux-x64`: the suffix of packaged prebuilds. */
export function platformArch() {
  return `${process.platform}-${process.arch}`;
}

/**
 * The platform-arch suffixes a prebuild may carry, most specific first. On Linux napi-rs
 * names prebuilds after the C library (`linux-x64-gnu`, `linux-x64-musl`); the one matching
 * this process comes first, the other is still tried (a failed load is only a rejection).
 */
export function platformArchSuffixes() {
  const plain = platformArch();
  if (process.platform !== 'linux') return [plain];
  const libcOrder = linuxLibc() === 'musl' ? ['musl', 'gnu'] : ['gnu', 'musl'];
  return [...libcOrder.map((libc) => `${plain}-${libc}`), plain];
}

/** File name cargo gives a cdylib called `libName` on this platform. */
export function cargoLibraryFileName(libName) {
  if (process.platform === 'win32') return `${libName}.dll`;
  if (process.platform === 'darwin') return `lib${libName}.dylib`;
  return `lib${libName}.so`;
}

let cachedLibc;

function linuxLibc() {
  if (cachedLibc === undefined) {
    // Node's diagnostic report names the glibc version it runs against; musl builds have none.
    const header = process.report?.getReport?.()?.header;
    cachedLibc = header && !header.glibcVersionRuntime ? 'musl' : 'gnu';
  }
  return cachedLibc;
}
