// What components need from the app's wiring, given once by main.tsx.
import { createContext, useContext } from 'react';
import type { ColonnadeDb } from '../db/database';
import type { Actions } from '../state/actions';

export interface AppServices {
  actions: Actions;
  db: ColonnadeDb;
}

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesContext');
  return services;
}
