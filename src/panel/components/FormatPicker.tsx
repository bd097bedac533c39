/** Picks the form the configuration is shown in; a radio group, so arrow keys move between formats. */
import { FIX_VIEWS, type FixView } from '../view/fix.js';

interface FormatPickerProps {
  /** The radio group's name; distinct per picker, since the dialog's and the Fix tab's can be on screen together. */
  name: string;
  value: FixView;
  onChange(view: FixView): void;
  includeDiff?: boolean;
  /** Views offered besides the usual ones (a provider's own form, for a configuration given in it), before Diff. */
  extra?: ReadonlyArray<{ id: FixView; label: string }>;
}

export function FormatPicker({ name, value, onChange, includeDiff = true, extra = [] }: FormatPickerProps) {
  const all = [...FIX_VIEWS.filter((view) => view.id !== 'diff'), ...extra, ...FIX_VIEWS.filter((view) => view.id === 'diff')];
  const views = all.filter((view) => includeDiff || view.id !== 'diff');
  const options = views.some((view) => view.id === value) ? views : [...views, { id: value, label: value }];
  return (
    <div class="format-picker" role="radiogroup" aria-label="Format">
      {options.map((view) => (
        <label key={view.id} class={`format-option${view.id === value ? ' checked' : ''}`}>
          <input type="radio" name={name} value={view.id} checked={view.id === value} onChange={() => onChange(view.id)} />
          {view.label}
        </label>
      ))}
    </div>
  );
}
