import { newDigits } from '../util/codes.ts';

/** Shortest admin PIN a room may be configured with (ROOMTONE_ADMIN_PIN, --admin-pin). */
export const MIN_PIN_DIGITS = 6;
/** Generated PINs are longer: nobody has to remember them from a poster. */
export const GENERATED_PIN_DIGITS = 8;

/** Why a configured PIN is refused, or null when it will do (H3). */
export function adminPinProblem(pin: string): string | null {
  if (!/^\d+$/.test(pin)) return 'the admin PIN must be digits only';
  if (pin.length < MIN_PIN_DIGITS) return `the admin PIN needs at least ${MIN_PIN_DIGITS} digits (it has ${pin.length}); leave it unset to get a generated ${GENERATED_PIN_DIGITS}-digit one`;
  if (pin.length > 32) return 'the admin PIN may have at most 32 digits';
  return null;
}

export function newAdminPin(): string {
  return newDigits(GENERATED_PIN_DIGITS);
}
