// Every endpoint the service answers, in one table (docs/api.md lists them).
import { containerRoutes } from './container-routes.js';
import { execRoutes } from './exec-routes.js';
import { imageRoutes } from './image-routes.js';
import { networkRoutes } from './network-routes.js';
import type { Route } from './router.js';
import { systemRoutes } from './system-routes.js';
import { volumeRoutes } from './volume-routes.js';

export function allRoutes(): Route[] {
  return [...systemRoutes(), ...containerRoutes(), ...execRoutes(), ...imageRoutes(), ...networkRoutes(), ...volumeRoutes()];
}
