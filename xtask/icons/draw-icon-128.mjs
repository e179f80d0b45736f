// Draws extension/icons/icon-128.png: the Chrome Web Store's 128 px icon is 96 px of art
// centred in a 128 px canvas, with 16 px of transparent padding on each side. The art is the
// same as the smaller icons' (which fill their canvas): a teal disc with a white cross, its
// proportions measured from them. Anti-aliased by sampling each pixel 16 × 16 times.
//   node xtask/icons/draw-icon-128.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SIZE = 128;
const ART = 96;
const CENTRE = SIZE / 2;
const RADIUS = ART / 2;
const TEAL = [16, 128, 112];
const WHITE = [255, 255, 255];
// The cross, as parts of the disc's diameter (72 and 28 px on the old 122 px disc).
const ARM_LENGTH = ART * 0.59;
const ARM_WIDTH = ART * 0.23;
const SAMPLES = 16;

/** What colour, if any, covers the point (x, y). */
function colourAt(x, y) {
  const dx = x - CENTRE;
  const dy = y - CENTRE;
  if (dx * dx + dy * dy > RADIUS * RADIUS) return null;
  const inArm = (along, across) => Math.abs(along) <= ARM_LENGTH / 2 && Math.abs(across) <= ARM_WIDTH / 2;
  return inArm(dx, dy) || inArm(dy, dx) ? WHITE : TEAL;
}

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  pixels[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    let covered = 0;
    const sum = [0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = colourAt(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        if (!c) continue;
        covered += 1;
        for (let i = 0; i < 3; i++) sum[i] += c[i];
      }
    }
    const at = row + 1 + x * 4;
    if (covered) for (let i = 0; i < 3; i++) pixels[at + i] = Math.round(sum[i] / covered);
    pixels[at + 3] = Math.round((covered / (SAMPLES * SAMPLES)) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(root, 'extension', 'icons', 'icon-128.png');
fs.writeFileSync(out, png);
console.log(`wrote ${path.relative(root, out)} (${png.length} bytes)`);
