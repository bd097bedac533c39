/** A button that opens the file chooser and hands over the chosen file's text, plus the matching drop handling. */
import { useRef } from 'preact/hooks';

export interface PickedFile {
  name: string;
  text: string;
}

/** The first file of a drop, read as text; null when the drop carried no file (dragged text, a link). */
export async function droppedFile(event: DragEvent): Promise<PickedFile | null> {
  const file = event.dataTransfer?.files?.[0];
  if (!file) return null;
  return { name: file.name, text: await file.text() };
}

interface FilePickerProps {
  label: string;
  accept: string;
  onFile(file: PickedFile): void;
  onError?: (message: string) => void;
  disabled?: boolean;
}

export function FilePicker({ label, accept, onFile, onError, disabled }: FilePickerProps) {
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
        onChange={async (event) => {
          const element = event.currentTarget as HTMLInputElement;
          const file = element.files?.[0];
          element.value = '';
          if (!file) return;
          try {
            onFile({ name: file.name, text: await file.text() });
          } catch (error) {
            onError?.(`Could not read ${file.name}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }}
      />
    </>
  );
}
