/**
 * When to draw a profile card's chart: only once the card scrolls near the viewport, so a
 * table of hundreds of columns stays responsive. Drawing is shared/vegaLite.ts's.
 */
/**
 * Calls back when an element comes near the viewport of a scrolling root, once per element.
 * Without IntersectionObserver (old browsers, jsdom) everything is "visible" at once.
 */
export class LazyTrigger {
  constructor(root: HTMLElement | null, margin = '300px') {
    if (typeof IntersectionObserver !== 'undefined') {
      this._observer = new IntersectionObserver(
        entries => {
          for (const entry of entries) {
            if (entry.isIntersecting) {
              this._fire(entry.target);
            }
          }
        },
        { root, rootMargin: margin }
      );
    }
  }

  /** Call `onVisible` once `element` is near the viewport; returns the way to stop watching. */
  watch(element: Element, onVisible: () => void): () => void {
    if (!this._observer) {
      onVisible();
      return () => undefined;
    }
    this._callbacks.set(element, onVisible);
    this._observer.observe(element);
    return () => this._unwatch(element);
  }

  dispose(): void {
    this._observer?.disconnect();
    this._callbacks.clear();
  }

  private _fire(element: Element): void {
    const callback = this._callbacks.get(element);
    this._unwatch(element);
    callback?.();
  }

  private _unwatch(element: Element): void {
    this._callbacks.delete(element);
    this._observer?.unobserve(element);
  }

  private _observer: IntersectionObserver | null = null;
  private _callbacks = new Map<Element, () => void>();
}
