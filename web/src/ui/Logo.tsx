// STING's mark: a honeycomb cell, drawn inline so it shows the same everywhere (no emoji font needed).
export function Logo({ size = 22 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="logo">
      <path d="M12 2 20.66 7v10L12 22l-8.66-5V7z" fill="currentColor" opacity="0.9" />
      <path d="M12 7.5 16 9.8v4.4L12 16.5l-4-2.3V9.8z" fill="var(--bg)" />
    </svg>
  );
}
