/**
 * The Workbench sidebar's "Saved queries" and "History" sections and its file imports, as a
 * user sees them, for the Galata tests (on top of the Workbench page object). Files are
 * "dropped" by dispatching dragenter/dragover/drop with a DataTransfer holding a File, as
 * Chromium does for a drop from the operating system.
 */
import { expect } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import { SELECTORS, WorkbenchPage } from './workbench-page';

/** The REST API of the server extension (used only to set up). */
const API = '/mlworkbench/api';

export class HistoryPage extends WorkbenchPage {
  // --- History ----------------------------------------------------------------------------

  get historySection(): Locator {
    return this.sidebar.locator(SELECTORS.history);
  }

  /** History rows whose first line of SQL contains this text. */
  historyItem(text: string): Locator {
    return this.historySection.locator(SELECTORS.historyItem, {
      has: this.page.locator(SELECTORS.historySql, { hasText: text })
    });
  }

  /** Forget the whole history through the API, and reload the sidebar. */
  async clearHistory(): Promise<void> {
    const response = await this.page.request.delete(`${API}/history`);
    expect(response.ok(), await response.text()).toBeTruthy();
    await this.refreshCatalog();
  }

  // --- Saved queries ----------------------------------------------------------------------

  get savedSection(): Locator {
    return this.sidebar.locator(SELECTORS.savedQueries);
  }

  savedQuery(name: string): Locator {
    return this.savedSection.locator(
      `${SELECTORS.savedQueryItem}[data-name=${JSON.stringify(name)}]`
    );
  }

  /** Delete a saved query if it exists (so a test can be run again). */
  async deleteSavedQueryIfExists(name: string): Promise<void> {
    const response = await this.page.request.delete(
      `${API}/saved-queries/${encodeURIComponent(name)}`
    );
    expect([200, 204, 404]).toContain(response.status());
    await this.refreshCatalog();
  }

  /** Fill the name dialog (save or rename a query) and accept it. */
  async answerNameDialog(name: string): Promise<void> {
    const input = this.dialog.locator(SELECTORS.nameDialogName);
    await expect(input).toBeVisible();
    await input.fill(name);
    await this.acceptDialog();
    // Another dialog may follow (a taken name asks before replacing).
    await expect(input).toHaveCount(0);
  }

  /** Start a command without waiting for it (one that opens a dialog the test answers). */
  async startCommand(
    command: string,
    args: Record<string, unknown> = {}
  ): Promise<void> {
    await this.page.evaluate(
      ({ command, args }) => {
        void (window as any).jupyterapp.commands.execute(command, args);
      },
      { command, args }
    );
  }

  /** The title of the main-area tab in front. */
  async currentTabLabel(): Promise<string> {
    return this.page.evaluate(
      () => (window as any).jupyterapp.shell.currentWidget?.title.label ?? ''
    );
  }

  // --- Imports ----------------------------------------------------------------------------

  /** The upload of a file in the sidebar. */
  importJob(filename: string): Locator {
    return this.sidebar.locator(
      `${SELECTORS.importJob}[data-filename=${JSON.stringify(filename)}]`
    );
  }

  /**
   * Drop a file on the sidebar as the operating system would: dragenter, dragover, then drop,
   * each carrying a DataTransfer with the File. `size` pads the text to that many bytes.
   * Leaves the drop out when `drop` is false (to look at the drop zone).
   */
  async dropFile(
    name: string,
    content: string,
    options: { type?: string; drop?: boolean; size?: number } = {}
  ): Promise<void> {
    await this.page.evaluate(
      ({ name, content, type, drop, size, selector }) => {
        const target = document.querySelector(selector);
        if (!target) {
          throw new Error('no Workbench sidebar');
        }
        const parts: BlobPart[] = [content];
        if (size && size > content.length) {
          // Pad with whole copies of the last line (a big file without a big string).
          const lines = content.trimEnd().split('\n');
          const line = new TextEncoder().encode(lines[lines.length - 1] + '\n');
          const copies = Math.floor((size - content.length) / line.length);
          const block = new Uint8Array(line.length * Math.min(copies, 4096));
          for (let i = 0; i < block.length; i += line.length) {
            block.set(line, i);
          }
          for (let done = 0; done < copies; done += 4096) {
            const n = Math.min(4096, copies - done);
            parts.push(n === 4096 ? block : block.slice(0, n * line.length));
          }
        }
        const transfer = new DataTransfer();
        transfer.items.add(new File(parts, name, { type }));
        const types = drop
          ? ['dragenter', 'dragover', 'drop']
          : ['dragenter', 'dragover'];
        for (const eventType of types) {
          target.dispatchEvent(
            new DragEvent(eventType, {
              bubbles: true,
              cancelable: true,
              dataTransfer: transfer
            })
          );
        }
      },
      {
        name,
        content,
        type: options.type ?? 'text/csv',
        drop: options.drop ?? true,
        size: options.size ?? 0,
        selector: SELECTORS.sidebar
      }
    );
  }

  /** End a drag without dropping (the pointer left the sidebar). */
  async leaveDrag(): Promise<void> {
    await this.page.evaluate(selector => {
      const target = document.querySelector(selector)!;
      const transfer = new DataTransfer();
      transfer.items.add(new File(['x'], 'x.csv'));
      target.dispatchEvent(
        new DragEvent('dragleave', {
          bubbles: true,
          cancelable: true,
          dataTransfer: transfer
        })
      );
    }, SELECTORS.sidebar);
  }

  /** Answer the import dialog: the table name (or the default), then Import. */
  async answerImportDialog(
    options: { name?: string; overwrite?: boolean } = {}
  ): Promise<void> {
    const input = this.dialog.locator(SELECTORS.importDialogName);
    await expect(input).toBeVisible();
    if (options.name !== undefined) {
      await input.fill(options.name);
    }
    if (options.overwrite) {
      await this.dialog.locator(SELECTORS.importDialogOverwrite).check();
    }
    await this.acceptDialog('Import');
    await expect(this.dialog).toHaveCount(0);
  }

  /** Throttle this page's uploads (Chromium's network emulation), or lift the limit. */
  async throttleUploads(bytesPerSecond: number | null): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page.mainFrame());
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: bytesPerSecond ?? -1
    });
  }
}

/** A CSV of `rows` rows (id, name, amount) with a header line. */
export function csvText(rows: number): string {
  const lines = ['id,name,amount'];
  for (let i = 1; i <= rows; i++) {
    lines.push(`${i},item ${i},${(i * 1.5).toFixed(2)}`);
  }
  return lines.join('\n') + '\n';
}
