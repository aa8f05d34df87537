/** Contact details are sensitive (SPEC F-5): masked forms keep just enough to recognise them. */
export function maskPhone(phone: string): string {
  const digits = [...phone];
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const keepHead = digits.length >= 11 ? 3 : 1;
  return (
    digits.slice(0, keepHead).join('') +
    '*'.repeat(digits.length - keepHead - 2) +
    digits.slice(-2).join('')
  );
}

export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export function maskHandle(handle: string): string {
  const chars = [...handle];
  if (chars.length <= 2) return '**';
  return `${chars[0]}***${chars[chars.length - 1]}`;
}
