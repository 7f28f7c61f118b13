import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/**
 * The Teams app icons, drawn in code so they can be regenerated: `node --import tsx manifest/makeIcons.ts`
 * rewrites manifest/color.png (192×192, full colour) and manifest/outline.png (32×32, white on transparent).
 * The shape is a shield with a check mark; the colour icon uses the manifest's accentColor as background.
 */

/** An 8-bit RGBA image, rows top to bottom. */
export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes: red, green, blue, alpha. */
  rgba: Buffer;
}

export type IconKind = 'color' | 'outline';

/** Pixel size and file name of each icon (Teams: colour 192×192, outline 32×32). */
export const ICONS: Readonly<Record<IconKind, { file: string; size: number }>> = {
  color: { file: 'color.png', size: 192 },
  outline: { file: 'outline.png', size: 32 },
};

/** The colour icon's background; the manifest's accentColor is the same colour. */
export const ACCENT: readonly [number, number, number] = [0x0f, 0x6c, 0xbd];

const WHITE: readonly [number, number, number] = [255, 255, 255];
const SUBSAMPLES = 4;

/** Inside the shield, in unit coordinates (0..1, y down): flat top, straight sides, pointed bottom. */
function inShield(x: number, y: number): boolean {
  const top = 0.16;
  const middle = 0.5;
  const bottom = 0.87;
  const halfWidth = 0.31;
  if (y < top || y > bottom) return false;
  const t = y <= middle ? 0 : (y - middle) / (bottom - middle);
  const width = halfWidth * (1 - t) * (1 + 0.6 * t);
  return Math.abs(x - 0.5) <= width;
}

/** Distance from (x, y) to the segment a–b. */
function segmentDistance(x: number, y: number, a: readonly [number, number], b: readonly [number, number]): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
}

/** Inside the check mark drawn with the given half stroke width. */
function inCheck(x: number, y: number, halfStroke: number): boolean {
  const a: [number, number] = [0.36, 0.5];
  const b: [number, number] = [0.46, 0.61];
  const c: [number, number] = [0.65, 0.38];
  return Math.min(segmentDistance(x, y, a, b), segmentDistance(x, y, b, c)) <= halfStroke;
}

/** Draws one icon, anti-aliased by 4×4 supersampling. */
export function renderIcon(kind: IconKind): RgbaImage {
  const size = ICONS[kind].size;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SUBSAMPLES; sy += 1) {
        for (let sx = 0; sx < SUBSAMPLES; sx += 1) {
          const x = (px + (sx + 0.5) / SUBSAMPLES) / size;
          const y = (py + (sy + 0.5) / SUBSAMPLES) / size;
          const shield = inShield(x, y);
          if (kind === 'color') {
            const colour = shield && !inCheck(x, y, 0.045) ? WHITE : ACCENT;
            colour.forEach((value, i) => { sum[i] = (sum[i] ?? 0) + value; });
            sum[3] = (sum[3] ?? 0) + 255;
          } else {
            // White everywhere, opaque on the shield, transparent outside it and through the check mark.
            WHITE.forEach((value, i) => { sum[i] = (sum[i] ?? 0) + value; });
            sum[3] = (sum[3] ?? 0) + (shield && !inCheck(x, y, 0.065) ? 255 : 0);
          }
        }
      }
      const offset = (py * size + px) * 4;
      sum.forEach((value, i) => { rgba[offset + i] = Math.round(value / (SUBSAMPLES * SUBSAMPLES)); });
    }
  }
  return { width: size, height: size, rgba };
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid PNG (8-bit RGBA, no interlace, filter 0 on every row) of `image`. */
export function encodePng(image: RgbaImage): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, filter method 0, no interlace
  const stride = image.width * 4;
  const raw = Buffer.alloc((stride + 1) * image.height);
  for (let row = 0; row < image.height; row += 1) {
    raw[row * (stride + 1)] = 0;
    image.rgba.copy(raw, row * (stride + 1) + 1, row * stride, (row + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Writes color.png and outline.png into `dir` (default: this folder); returns the paths written. */
export function writeIcons(dir: string = __dirname): string[] {
  return (Object.keys(ICONS) as IconKind[]).map((kind) => {
    const path = join(dir, ICONS[kind].file);
    writeFileSync(path, encodePng(renderIcon(kind)));
    return path;
  });
}

if (require.main === module) {
  for (const path of writeIcons()) process.stdout.write(`Wrote ${path}\n`);
}
