/** A button that opens the file chooser and hands over the chosen file, plus the matching drop handling. */
import { useRef } from 'preact/hooks';

/**
 * A chosen or dropped file, not read yet: each consumer reads what it needs. A policy is read as text; a HAR as
 * bytes, since one can be larger than a string may be (V8 stops near 512 MB) and the scanner reads bytes anyway.
 * Reading may fail (the file changed or is gone): the consumer shows that.
 */
export interface PickedFile {
  name: string;
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
  /** The text of the first `length` bytes: enough to tell a HAR from a policy without reading either. */
  head(length: number): Promise<string>;
}

export function pickedFile(file: Blob & { name: string }): PickedFile {
  return {
    name: file.name,
    text: () => file.text(),
    bytes: async () => new Uint8Array(await file.arrayBuffer()),
    head: (length) => file.slice(0, length).text(),
  };
}

/** The first file of a drop; null when the drop carried no file (dragged text, a link). */
export function droppedFile(event: DragEvent): PickedFile | null {
  const file = event.dataTransfer?.files?.[0];
  return file ? pickedFile(file) : null;
}

/** What to show when a file cannot be read. */
export function readFailure(file: PickedFile, error: unknown): string {
  return `Could not read ${file.name}: ${error instanceof Error ? error.message : String(error)}`;
}

interface FilePickerProps {
  label: string;
  accept: string;
  onFile(file: PickedFile): void;
  disabled?: boolean;
}

export function FilePicker({ label, accept, onFile, disabled }: FilePickerProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" class="button" disabled={disabled} onClick={() => input.current?.click()}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        aria-label={label}
        tabIndex={-1}
        onChange={(event) => {
          const element = event.currentTarget as HTMLInputElement;
          const file = element.files?.[0];
          element.value = '';
          if (file) onFile(pickedFile(file));
        }}
      />
    </>
  );
}
