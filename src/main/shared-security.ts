// The renderer's Content Security Policy, sent by the Electron shell and by the headless host.
// No remote scripts, no eval, no inline scripts; images may be data: (generated avatars) or https
// (network avatars and media). connect-src 'self' covers the host's same-origin WebSocket.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: https:",
  "media-src 'self' blob: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
