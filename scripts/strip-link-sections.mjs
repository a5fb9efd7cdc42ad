// Removes the linker's "linking" and "reloc.*" custom sections from a wasm
// file, in place. --emit-relocs (.cargo/config.toml, for the app's
// wasm-split) leaves them in every wasm the workspace builds; wasm-opt
// cannot keep them right and nothing after linking needs them. Used by
// scripts/bench.sh for the benchmark's wasm.
//   node scripts/strip-link-sections.mjs <file.wasm>
import fs from "node:fs";
const [file] = process.argv.slice(2);
const wasm = fs.readFileSync(file);
const kept = [wasm.subarray(0, 8)];
let at = 8;
const leb = () => {
  let value = 0, shift = 0, byte;
  do { byte = wasm[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return value;
};
while (at < wasm.length) {
  const start = at, id = wasm[at++], size = leb(), end = at + size;
  let name = "";
  if (id === 0) {
    const length = leb();
    name = wasm.toString("utf8", at, at + length);
  }
  if (name !== "linking" && !name.startsWith("reloc.")) kept.push(wasm.subarray(start, end));
  at = end;
}
fs.writeFileSync(file, Buffer.concat(kept));
