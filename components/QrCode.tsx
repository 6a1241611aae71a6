/**
 * A QR code drawn on the server as one SVG path (no script, no image file): dark modules of a row
 * are joined into runs, so an otpauth URI stays around 3 KB before compression.
 */
import { encode } from "uqr";

export function QrCode(props: { text: string; label: string; size?: number }) {
  const { data } = encode(props.text, { border: 2 });
  let d = "";
  data.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      if (!row[x]) continue;
      const start = x;
      while (x + 1 < row.length && row[x + 1]) x++;
      d += `M${start} ${y}h${x - start + 1}v1h-${x - start + 1}z`;
    }
  });
  const n = data.length;
  const size = props.size ?? 200;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${n} ${n}`}
      width={size}
      height={size}
      role="img"
      aria-label={props.label}
      shape-rendering="crispEdges"
      class="bg-white"
      data-qr
    >
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
