import { css } from 'lit';

/** Buttons, toggles and small text shared by every view (custom properties from global.css). */
export const base = css`
  :host { font-family: var(--font); color: var(--text-0); box-sizing: border-box; }
  *, *::before, *::after { box-sizing: border-box; }
  button {
    font: inherit; color: var(--text-1); background: var(--bg-3); border: 1px solid var(--line);
    border-radius: var(--radius-s); padding: 4px 10px; min-height: var(--hit, 26px); min-width: var(--hit-w, 0px); cursor: pointer;
    transition: background 80ms, color 80ms, border-color 80ms;
    touch-action: manipulation;
  }
  button:hover:not(:disabled) { background: var(--bg-4); color: var(--text-0); }
  button:active:not(:disabled) { transform: translateY(1px); }
  button:disabled { opacity: 0.45; cursor: not-allowed; }
  button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, [tabindex]:focus-visible {
    outline: none; box-shadow: var(--focus);
  }
  button.primary { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); font-weight: 600; }
  button.primary:hover:not(:disabled) { background: #ffbb55; color: var(--accent-ink); }
  button.danger { color: var(--danger); border-color: color-mix(in srgb, var(--danger) 40%, var(--line)); }
  button.ghost { background: transparent; border-color: transparent; }
  button[aria-pressed='true'].t-mute { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
  button[aria-pressed='true'].t-solo { background: var(--select); color: #04262b; border-color: var(--select); }
  button[aria-pressed='true'].t-arm { background: var(--rec); color: #2b0508; border-color: var(--rec); }
  button[aria-pressed='true'].t-on { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
  input, select, textarea {
    font: inherit; color: var(--text-0); background: var(--bg-1); border: 1px solid var(--line);
    border-radius: var(--radius-s); padding: 6px 8px;
  }
  input:not([type='checkbox']):not([type='radio']), select { min-height: var(--hit, auto); }
  input[type='checkbox'] { width: var(--hit-check, 16px); height: var(--hit-check, 16px); }
  .mono { font-family: var(--mono); font-variant-numeric: tabular-nums; }
  .muted { color: var(--text-2); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; margin: -1px; padding: 0; border: 0; }
`;
