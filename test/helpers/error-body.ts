/**
 * An error answer in the contract's shape (API.md, "Conventions"): its status, its code and a
 * message, any text unless the test names it.
 */
export function errorBody(
  statusCode: number,
  code: string,
  message: unknown = expect.any(String),
): { statusCode: number; code: string; message: unknown } {
  return { statusCode, code, message };
}
