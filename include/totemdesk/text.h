/* UTF-8 text helpers: decoding, cleaning untrusted input, display width,
 * accent/case folding for comparisons and an ASCII fallback for terminals
 * that cannot show accents (LANG=C, vt100).  Pure functions, no locale
 * dependence: Unicode properties come from utf8proc. */
#ifndef TOTEMDESK_TEXT_H
#define TOTEMDESK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point from s (at most len bytes).  Returns the number of
 * bytes used (1-4) and sets *cp, or -1 for an invalid, overlong, surrogate
 * or truncated sequence (then skip one byte).  len == 0 returns 0. */
int td_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encode cp into out (4 bytes available); returns bytes written, or 0 if cp
 * is not a valid scalar value. */
int td_utf8_encode(uint32_t cp, char out[4]);

/* Number of code points in a valid UTF-8 string. */
size_t td_utf8_count(const char *s);

/* Is s valid UTF-8 (len bytes, NUL not allowed)? */
bool td_utf8_valid(const char *s, size_t len);

/* Clean untrusted text into out (outsz bytes, always NUL-terminated):
 * invalid UTF-8 dropped; ESC sequences (CSI, OSC/DCS/APC/PM/SOS strings
 * up to BEL or ST, SS2/SS3, nF, two-byte) and their 8-bit C1 forms
 * removed whole; other C0/C1 controls, DEL, noncharacters and the
 * bidirectional controls (td_cp_is_bidi_control) removed;
 * tab becomes a space; CR, LF, CR LF and U+2028/9 become one LF when
 * allow_newlines is true, one space when it is false; at most
 * max_chars code points kept (0 = no limit), never cutting a sequence.
 * Returns the number of bytes written. */
size_t td_text_clean(const char *in, size_t len, char *out, size_t outsz,
		     size_t max_chars, bool allow_newlines);

/* Is cp a bidirectional embedding, override or isolate control (U+202A
 * to U+202E, U+2066 to U+2069)?  They make text read on a terminal
 * differently from what is stored ("Trojan Source"): td_text_clean drops
 * them, and the validators refuse them on input (TD_V_BIDI). */
bool td_cp_is_bidi_control(uint32_t cp);

/* The first bidirectional control in s (td_cp_is_bidi_control), 0 when
 * there is none; invalid UTF-8 is skipped. */
uint32_t td_text_find_bidi(const char *s);

/* Is cp acceptable inside a one-line text field?  (Not a control, not a
 * surrogate, not a noncharacter, assigned.) */
bool td_cp_printable(uint32_t cp);

/* Is cp a Unicode letter (categories L*) or combining mark (M*)? */
bool td_cp_is_letter(uint32_t cp);

/* Is cp white space: ASCII space, tab, CR, LF, VT, FF, or a Unicode space,
 * line or paragraph separator (NBSP, narrow NBSP, U+2028 ...)? */
bool td_cp_is_space(uint32_t cp);

/* Terminal columns taken by cp: 0 (combining marks, zero-width format
 * characters, controls), 1, or 2 (wide, East Asian, emoji). */
int td_cp_width(uint32_t cp);

/* Columns taken by a UTF-8 string (invalid bytes count 1). */
size_t td_text_width(const char *s);

/* Trim leading/trailing white space and collapse internal runs of white
 * space to one ASCII space, in place.  Returns s. */
char *td_text_squeeze(char *s);

/* Fold for comparison and search: NFKD, drop combining marks, case fold,
 * ligatures expanded (œ -> oe, ß -> ss), punctuation kept.  "Épinal" ->
 * "epinal".  Writes into out (always NUL-terminated); returns length. */
size_t td_text_fold(const char *in, char *out, size_t outsz);

/* Canonical composition (NFC) of in into out (always NUL-terminated, never
 * cutting a sequence), so that "e" + U+0301 typed on one keyboard and "é"
 * on another are stored alike.  Invalid UTF-8 is copied unchanged.
 * Returns length written. */
size_t td_text_nfc(const char *in, char *out, size_t outsz);

/* Readable ASCII rendering for terminals without UTF-8: accents dropped
 * (é -> e), ligatures expanded (œ -> oe), typographic quotes, dashes,
 * ellipsis, non-breaking and narrow spaces, guillemets, euro and the like
 * mapped to ASCII; anything else becomes '?'.  One output column per input
 * column is NOT guaranteed (œ -> oe).  Returns length written. */
size_t td_text_ascii(const char *in, char *out, size_t outsz);

/* Readable ASCII rendering of a single code point into out (up to 7 bytes +
 * NUL); returns length.  Same rules as td_text_ascii; combining marks and
 * invisible format characters (ZWJ, BOM) give "" so that a decomposed
 * "e" + U+0301 reads "e", not "e?". */
size_t td_cp_ascii(uint32_t cp, char out[8]);

#endif
