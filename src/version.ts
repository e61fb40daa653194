/** The service's version: in spans (service.version) and the API description. */
export const VERSION = '0.1.0';
