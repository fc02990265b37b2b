/**
 * What every widget's custom element does first, once: wire itself on its first connection only
 * (an element moved in the page is connected again), and read the lab config embedded in the page,
 * saying in the widget why it cannot run when the page has none.
 */
import type { PublicLabConfig } from '../../config/lab.ts';
import { readLabConfig } from '../lab-config/readLabConfig.ts';
import { type LabNeed, labCanRun } from '../no-lab/labNeeds.ts';
import { part } from './dom.ts';
import { renderError } from './errorCard.ts';

/** True the first time `element` is connected; marks it `data-ready` (the e2e tests wait for it). */
export function firstConnection(element: HTMLElement): boolean {
  if (element.dataset.ready) return false;
  element.dataset.ready = 'true';
  return true;
}

/**
 * The lab config the widgets use, or undefined once `onMissing` has said why there is none. Also
 * undefined, silently, when no lab behind the page can do what the widget `needs` (a static build):
 * the widget's `<NoLab>` card says so and replays a recorded run (src/widgets/no-lab/).
 */
export function labConfigOr(onMissing: (message: string) => void, needs: LabNeed = 'tenant'): PublicLabConfig | undefined {
  try {
    const config = readLabConfig();
    return labCanRun(config, needs) ? config : undefined;
  } catch (error) {
    onMissing(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** `onMissing` for widgets with an error card (`data-part="error"`): "No configuration" and why. */
export const noConfigurationCard =
  (element: HTMLElement) =>
  (message: string): void =>
    renderError(part(element, 'error'), { title: 'No configuration', fix: message, known: false });
