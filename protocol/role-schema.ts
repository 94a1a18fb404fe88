import { z } from 'zod';
import { LAYOUTS, ROLES } from './roles.ts';

export const RoleSchema = z.enum(ROLES);
export const LayoutSchema = z.enum(LAYOUTS);
