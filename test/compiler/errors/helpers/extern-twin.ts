// An @extern function whose external symbol an entry module's export also claims.
/** @extern */
export function twin(): void {}
