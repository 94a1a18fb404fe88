/** The QR code of a join link, as SVG markup (the encoder loads only where a QR shows). */
export async function qrSvg(url: string): Promise<string> {
  if (!url) return '';
  const QRCode = (await import('qrcode')).default;
  return QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
}
