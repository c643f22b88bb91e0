/**
 * How long an SMS body is on the air interface (3GPP TS 23.038).
 *
 * If every character is in the GSM 03.38 default alphabet or its extension table the message
 * goes out as GSM-7: basic characters take one septet, extension characters two (an escape
 * plus the character), and one segment holds 160 septets. Any other character forces UCS-2
 * for the whole message: length is then UTF-16 code units (an emoji outside the BMP is a
 * surrogate pair, so 2) and one segment holds 70.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2'

export const GSM7_SEGMENT_LIMIT = 160
export const UCS2_SEGMENT_LIMIT = 70

// Positions 0x00–0x7F of the default alphabet, minus 0x1B (the escape to the extension table).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅå' +
    'Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ' +
    ' !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
    '¿abcdefghijklmnopqrstuvwxyzäöñüà',
)
const GSM_EXTENSION = new Set('\f^{}\\[~]|€')

export interface SmsMeasure {
  readonly encoding: SmsEncoding
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  readonly length: number
  /** Single-segment limit for the encoding. */
  readonly limit: number
  /** The first character that forced UCS-2, as `U+XXXX`; absent for GSM-7. */
  readonly firstNonGsm?: string
}

function codePointLabel(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}

export function measureSms(text: string): SmsMeasure {
  let septets = 0
  for (const char of text) {
    if (GSM_BASIC.has(char)) septets += 1
    else if (GSM_EXTENSION.has(char)) septets += 2
    else return { encoding: 'UCS-2', length: text.length, limit: UCS2_SEGMENT_LIMIT, firstNonGsm: codePointLabel(char) }
  }
  return { encoding: 'GSM-7', length: septets, limit: GSM7_SEGMENT_LIMIT }
}

/** The counting unit, for messages. */
export function smsUnit(encoding: SmsEncoding): string {
  return encoding === 'GSM-7' ? 'GSM-7 characters' : 'UTF-16 code units (UCS-2)'
}
