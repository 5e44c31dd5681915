/** Words the generated projects are made of: plausible construction projects in US cities. */
export const PLACES = [
  'Riverside',
  'Harbor',
  'Oak Park',
  'Summit',
  'Lakeview',
  'Cedar Hill',
  'Union',
  'Granite',
  'Maple',
  'Westgate',
  'Northpoint',
  'Bayfront',
  'Pinecrest',
  'Meridian',
  'Sunset',
  'Eastside',
  'Canyon',
  'Willow Creek',
] as const;

export const BUILDINGS = [
  'Medical Center',
  'Elementary School',
  'Office Tower',
  'Apartments',
  'Distribution Center',
  'Parking Garage',
  'Library',
  'Hotel',
  'Retail Plaza',
  'Water Treatment Plant',
  'Fire Station',
  'Community Center',
  'Lofts',
  'Bridge Rehabilitation',
  'Data Center',
  'Senior Living',
] as const;

export const PHASES = ['', '', '', ' Phase II', ' Expansion', ' Renovation', ' Tenant Improvement'] as const;

export const CITIES = [
  { city: 'Austin', state: 'TX', zip: '78701' },
  { city: 'Denver', state: 'CO', zip: '80202' },
  { city: 'Portland', state: 'OR', zip: '97204' },
  { city: 'Raleigh', state: 'NC', zip: '27601' },
  { city: 'Phoenix', state: 'AZ', zip: '85004' },
  { city: 'Columbus', state: 'OH', zip: '43215' },
  { city: 'Nashville', state: 'TN', zip: '37203' },
  { city: 'Sacramento', state: 'CA', zip: '95814' },
  { city: 'Boise', state: 'ID', zip: '83702' },
  { city: 'Tampa', state: 'FL', zip: '33602' },
] as const;

export const STREETS = ['Main St', 'Market St', 'Elm Ave', '2nd St', 'Broadway', 'Industrial Pkwy', 'Lake Rd'] as const;

/** The names both sandboxes use for project types and stages (the Salesforce picklists, Procore's seeded lists). */
export const PROJECT_TYPES = [
  'Commercial',
  'Residential',
  'Healthcare',
  'Education',
  'Industrial',
  'Infrastructure',
  'Hospitality',
  'Retail',
  'Mixed Use',
] as const;

export const STAGES = [
  'Pre-Construction',
  'Course of Construction',
  'Post-Construction',
  'Completed',
  'Not Awarded',
  'Canceled',
] as const;
