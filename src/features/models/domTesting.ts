/** What the models feature's component tests do to the DOM as a user would. */

/** Let promises and React's renders settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

/** Change an <input>, <textarea> or <select> (React listens to the native events). */
export function typeInto(element: Element | null, value: string): void {
  const input = element as HTMLInputElement;
  const proto = Object.getPrototypeOf(input);
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(input, value);
  input.dispatchEvent(new Event('change', { bubbles: true }));
  input.dispatchEvent(new Event('input', { bubbles: true }));
}
