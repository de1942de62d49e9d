import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

/**
 * A WAI-ARIA tablist (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): one tab stop, arrow keys
 * (and Home/End) move between tabs and select them, each tab controls its panel.
 */

export interface TabDef {
  id: string;
  label: string;
}

export function TabList(props: {
  label: string;
  tabs: TabDef[];
  selected: string;
  onSelect(id: string): void;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const { tabs, selected, onSelect } = props;
  const move = (from: number, e: KeyboardEvent) => {
    const n = tabs.length;
    let to: number;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') to = (from + 1) % n;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') to = (from - 1 + n) % n;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = n - 1;
    else return;
    e.preventDefault();
    onSelect(tabs[to]!.id);
    refs.current[to]?.focus();
  };
  return (
    <div class="tablist" role="tablist" aria-label={props.label}>
      {tabs.map((t, i) => {
        const on = t.id === selected;
        return (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            class="tab"
            aria-selected={on}
            aria-controls={`panel-${t.id}`}
            tabIndex={on ? 0 : -1}
            onClick={() => onSelect(t.id)}
            onKeyDown={(e) => move(i, e)}
          >
            {t.label}
          </button>
        );
      })}
    </div>
  );
}

export function TabPanel(props: { id: string; selected: boolean; children: ComponentChildren }) {
  return (
    <section
      role="tabpanel"
      id={`panel-${props.id}`}
      class="tabpanel"
      aria-labelledby={`tab-${props.id}`}
      hidden={!props.selected}
      tabIndex={0}
    >
      {props.children}
    </section>
  );
}
