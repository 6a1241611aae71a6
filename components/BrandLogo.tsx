/** Smart Dairy's mark: a milk drop on a green hill, in the brand colours (inline SVG, no request). */
export function BrandLogo(props: { size?: number; class?: string }) {
  const s = props.size ?? 28;
  return (
    <svg
      width={s}
      height={s}
      viewBox="0 0 32 32"
      aria-hidden="true"
      focusable="false"
      class={props.class}
    >
      <circle cx="16" cy="16" r="16" fill="#174c99" />
      <path d="M16 5c4 5.5 7 9.2 7 12.6A7 7 0 0 1 9 17.6C9 14.2 12 10.5 16 5z" fill="#fff" />
      <path d="M3 24c5-4 9-4 13-2s8 2 13-1v3a16 16 0 0 1-26 0z" fill="#16a34a" />
    </svg>
  );
}
