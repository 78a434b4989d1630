import packageJson from '../../../package.json';

/** Name and version of the running build, as package.json states them. */
export const packageInfo: { readonly name: string; readonly version: string } = {
  name: packageJson.name,
  version: packageJson.version,
};
