/** Site path of the workshop routes on the lab's own server (servers/workshop/routes.ts `WORKSHOP_PATH`). */
export const WORKSHOP_API = '/_lab/workshop';
