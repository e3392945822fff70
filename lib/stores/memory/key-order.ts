/**
 * Key ordering shared by the in-process store: etcd orders keys by their UTF-8 bytes, which
 * is Unicode code point order. JavaScript's `<` on strings compares UTF-16 code units, which
 * differs for characters above U+FFFF versus U+E000..U+FFFF, so keys are compared by code
 * point here.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // Both in the BMP outside surrogates: code unit order equals code point order.
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa === sb) return ca - cb;
    // A surrogate (code point >= U+10000) sorts after any BMP code point.
    return sa ? 1 : -1;
  }
  return a.length - b.length;
}
