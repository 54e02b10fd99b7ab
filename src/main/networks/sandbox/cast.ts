// The people, hashtags and phrases of the Sandbox world. Plain content, not logic: the world
// (world.ts) draws from these with a seeded generator so a seed always gives the same posts.

export interface Persona {
  handle: string;
  name: string;
  /** The user's Sandbox profile follows this persona (its posts reach the Home column). */
  followed: boolean;
  /** The language this persona writes in (BCP-47), where it is not the world's (WORLD_LANGUAGE). */
  language?: string;
}

/** The language the Sandbox world's posts are written in, unless a persona says otherwise. */
export const WORLD_LANGUAGE = 'en';

export const PRACTICE_HANDLE = 'practice';

export const PERSONAS: readonly Persona[] = [
  { handle: 'ada.builds', name: 'Ada Moreau', followed: true },
  { handle: 'bikelane_bea', name: 'Béatrice Lang', followed: true },
  { handle: 'chen.rides', name: 'Chen Wei', followed: true },
  { handle: 'dario_outdoors', name: 'Dario Ferri', followed: true },
  { handle: 'elodie.tech', name: 'Élodie Martin', followed: true },
  { handle: 'farah.k', name: 'Farah Khan', followed: true },
  { handle: 'gus_commutes', name: 'Gus Olsen', followed: true },
  { handle: 'hana.design', name: 'Hana Sato', followed: true },
  { handle: 'ifpower', name: 'IF Power :ifpower:', followed: true },
  { handle: 'ifpower_support', name: 'IF Power Support', followed: true },
  { handle: 'jules.reviews', name: 'Jules Bernard', followed: true },
  { handle: 'kofi.makes', name: 'Kofi Mensah', followed: true },
  { handle: 'lena_greenway', name: 'Lena Schmidt', followed: true },
  { handle: 'marco.pedals', name: 'Marco Rossi', followed: true },
  { handle: 'nina.writes', name: 'Nina Petrova', followed: true },
  { handle: 'oscar_daily', name: 'Oscar Nguyen', followed: false },
  { handle: 'paula.city', name: 'Paula Gómez', followed: false },
  { handle: 'quentin.news', name: 'Quentin Dubois', followed: false },
  { handle: 'rhea.energy', name: 'Rhea Kapoor', followed: false },
  { handle: 'sam.cm', name: 'Sam Taylor', followed: true },
  { handle: 'techcrank', name: 'TechCrank', followed: false },
  { handle: 'urbanwheels', name: 'Urban Wheels Mag', followed: true },
  { handle: 'voltcycle', name: 'VoltCycle', followed: false },
  { handle: 'wren.photo', name: 'Wren Adeyemi', followed: true },
];

/** Lists the practice profile owns, by id, with their members. */
export const LISTS: Readonly<Record<string, { name: string; members: readonly string[] }>> = {
  competitors: { name: 'Competitors', members: ['voltcycle', 'techcrank', 'urbanwheels'] },
  press: { name: 'Press', members: ['quentin.news', 'urbanwheels', 'techcrank', 'nina.writes'] },
  creators: { name: 'Creators', members: ['hana.design', 'wren.photo', 'kofi.makes', 'ada.builds'] },
};

/** The brand hashtag most posts orbit; the default deck watches it. */
export const BRAND_TAG = 'IFPower';

export const OTHER_TAGS: readonly string[] = [
  'ebike',
  'LaunchDay',
  'CommunityManager',
  'UrbanMobility',
  'GreenCommute',
  'CustomerCare',
  'BikeToWork',
  'RideLocal',
];

/** Sentences with slots: {tag} a hashtag, {link} a link, {mention} the practice profile. */
export const PHRASES: readonly string[] = [
  'Just picked up the new model and the battery life is unreal',
  'Anyone else waiting on their delivery? Mine says next week',
  'Commute done in 18 minutes instead of 40. Not going back',
  'Honest review after a month of daily rides',
  'The app update fixed the range estimate, finally',
  'Stopped by the pop-up store downtown, great team there',
  'Rain test passed. Soaked, but the motor did not care',
  'Loving the matte green colourway',
  'Our city just opened two new protected bike lanes',
  'Question for the community: best lock for a heavy frame?',
  'Battery swap took 30 seconds at the station',
  'Customer support sorted my warranty claim in one message',
  'Is the cargo version worth the extra weight?',
  'Weekend ride along the river, 62 km on one charge',
  'New firmware is rolling out today, check your app',
  'The brake feel on the new model is so much better',
  'Spotted three of these parked outside the office today',
  'Hot take: the bell is the most underrated accessory',
  'We are hiring community moderators in Lyon and Berlin',
  'Thread: everything we learned from our first year of rentals',
  'Delivery riders in our area switched fleets this month',
  'Photo dump from the launch event last night',
  'Our comparison of five city bikes is out',
  'Does the trade-in offer apply to older frames?',
  'That moment when the hill you dreaded becomes your favourite',
  'Kids seat fits perfectly, school run sorted',
  'The new dashboard is clean and readable in sunlight',
  'Flat tyre on the way to work, the repair kit saved me',
  'Thanks for the quick reply, all working again',
  'Price drop on last season models this weekend only',
];

export const LINK_PATHS: readonly string[] = [
  'https://ifpower.example/launch',
  'https://ifpower.example/firmware/4-2',
  'https://news.example.org/city-bike-lanes',
  'https://reviews.example.net/five-city-bikes',
  'https://ifpower.example/careers',
  'https://blog.example.com/first-year-of-rentals',
];

export const IMAGE_ALTS: readonly string[] = [
  'A matte green e-bike leaning on a brick wall',
  'Riders gathered outside a pop-up store at dusk',
  'Close-up of a handlebar display showing 62 km',
  'A cargo bike with a child seat on a tree-lined street',
  'A row of bikes at a battery swap station',
];

export const MEDIA_COLORS: readonly string[] = ['#5b8c6e', '#c47f4a', '#4a6fa5', '#8e5ba6', '#b5a642'];

/** Content warnings some authors fold their posts behind. */
export const CONTENT_WARNINGS: readonly string[] = ['Launch spoilers :ifpower:', 'Price talk', 'Long thread'];

/**
 * People who write right to left (Hebrew, Arabic): their posts and names take their direction
 * from their own first strong character in the UI.
 */
export const RTL_PERSONAS: ReadonlyArray<Persona & { phrases: readonly string[] }> = [
  {
    handle: 'noa.rides',
    name: 'נועה כהן',
    followed: true,
    language: 'he',
    phrases: [
      'הסוללה החזיקה כל הדרך לעבודה ובחזרה!',
      'מישהו יודע מתי מגיע העדכון החדש?',
      'נסיעת בוקר לאורך הים, 40 ק״מ בטעינה אחת.',
    ],
  },
  {
    handle: 'karim.velo',
    name: 'كريم حداد',
    followed: true,
    language: 'ar',
    phrases: [
      'رحلة الصباح على الدراجة الجديدة كانت رائعة!',
      'هل يعرف أحد متى يصل التحديث الجديد؟',
      'خدمة العملاء حلّت مشكلتي في رسالة واحدة.',
    ],
  },
];

/** What the practice profile (the user's brand) posts now and then; others like and repost it. */
export const PRACTICE_PHRASES: readonly string[] = [
  'Thanks for riding with us this week!',
  'Firmware 4.2 is out: smoother assist and better range estimates',
  'Which colour should we bring back next spring?',
  'Our pop-up store is open downtown until Sunday',
  'Show us your commute: the best photo wins a new helmet',
];

/**
 * The polls people run (a poll replaces the post's opening phrase): the question, its options, and
 * whether several may be chosen.
 */
export const POLLS: ReadonlyArray<{ question: string; options: readonly string[]; multiple: boolean }> = [
  {
    question: 'Which ride should we plan for the spring meetup?',
    options: ['Coastal loop', 'Hill climb', 'City night ride'],
    multiple: false,
  },
  { question: 'Range or weight: what matters more on an e-bike?', options: ['Range', 'Weight'], multiple: false },
  {
    question: 'Which accessories do you use every day? Pick all that apply',
    options: ['Lights', 'Pannier', 'Lock', 'Phone mount'],
    multiple: true,
  },
  {
    question: 'How far is your daily commute?',
    options: ['Under 5 km', '5 to 15 km', '15 to 30 km', 'More than 30 km'],
    multiple: false,
  },
];

/** Titles of the viewer's filters that fold a post (a Mastodon filter with action "warn"). */
export const FILTER_TITLES: readonly string[] = ['Giveaway spam', 'Price rumours'];

const svg = (body: string) => `data:image/svg+xml,${encodeURIComponent(body)}`;

/** The Sandbox's custom emoji (Mastodon-style `:shortcode:`), drawn inline so nothing is fetched. */
export const CUSTOM_EMOJI: Readonly<Record<string, string>> = {
  ifpower: svg(
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><circle cx='16' cy='16' r='15' fill='#2f6fca'/>" +
      "<path d='M18 4 8 18h7l-2 10 11-15h-7z' fill='#ffd43b'/></svg>",
  ),
  ebike: svg(
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='7' fill='#5b8c6e'/>" +
      "<g fill='none' stroke='#fff' stroke-width='2.5' stroke-linecap='round'><circle cx='9' cy='21' r='5'/>" +
      "<circle cx='23' cy='21' r='5'/><path d='M9 21l5-9h7l2 9M14 12l-2-3h-3'/></g></svg>",
  ),
};

/** A picture for a Sandbox image: a city-bike scene in the media's colour (an inline SVG). */
export function sceneImage(width: number, height: number, color: string, variant: number): string {
  const w = width;
  const h = height;
  const r = Math.round(Math.min(w, h) * 0.16);
  const y = Math.round(h * 0.7);
  const x1 = Math.round(w * 0.5 - r * 1.6);
  const x2 = Math.round(w * 0.5 + r * 1.6);
  const sun =
    variant % 2 === 0
      ? `<circle cx='${Math.round(w * 0.8)}' cy='${Math.round(h * 0.22)}' r='${r}' fill='#fff' opacity='.35'/>`
      : '';
  return svg(
    `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 ${w} ${h}'><rect width='${w}' height='${h}' fill='${color}'/>${sun}` +
      `<path d='M0 ${y} Q${w * 0.3} ${y - r} ${w * 0.6} ${y} T${w} ${y - r / 2} V${h} H0Z' fill='#0003'/>` +
      `<g fill='none' stroke='#fff' stroke-width='${Math.max(4, r / 6)}' stroke-linecap='round' stroke-linejoin='round'>` +
      `<circle cx='${x1}' cy='${y - r}' r='${r}'/><circle cx='${x2}' cy='${y - r}' r='${r}'/>` +
      `<path d='M${x1} ${y - r} L${w / 2 - r / 3} ${y - 2.4 * r} H${x2 - r / 2} L${x2} ${y - r} M${w / 2 - r / 3} ${y - 2.4 * r} L${w / 2 - r / 2} ${y - 2.9 * r}'/></g></svg>`,
  );
}

/** An image address that no longer answers (an expired link): the UI shows the alt text instead. */
export const EXPIRED_IMAGE = 'data:image/png;base64,AAAA';

/**
 * The people who come to follow the practice profile: strangers to the cast, each a first name
 * with a family name (FOLLOWER_FIRST × FOLLOWER_LAST: 3,600 different people, none named as
 * someone of the cast), so each follows once (world.ts `followerAt`).
 */
export const FOLLOWER_FIRST: readonly string[] = (
  'Aiko Amara Anders Aroha Bastien Bianca Bruno Camille Carmen Cyrus Dalia Dmitri Ebo Elif Emeka ' +
  'Freya Gabriel Greta Hamid Helga Ines Isak Jamal Jana Joaquín Kaito Kalani Leila Liam Lucía ' +
  'Malik Maren Mateo Mei Mireille Nadia Naveen Olga Omar Pia Priya Rafael Rosa Ruben Saanvi Selin ' +
  'Sören Tariq Tess Thiago Uma Valeria Viktor Wanjiru Xavier Yara Yusuf Zainab Zoé Zoltan'
).split(' ');
export const FOLLOWER_LAST: readonly string[] = (
  'Abara Almeida Andersen Arslan Bakker Banerjee Becker Bianchi Carvalho Castro Costa Dahl Diallo ' +
  'Dimitrou Eklund Eze Fischer Fontaine García Gill Haddad Hansen Horvat Ito Ivanova Jansen ' +
  'Jovanović Kaya Kim Kowalski Laurent Lindqvist Lopes Mahlangu Meyer Molina Mwangi Nakamura Novak ' +
  'Okafor Olsen-Berg Park Pereira Popescu Quispe Rahman Reyes Richter Sánchez Silva Suzuki Tanaka ' +
  'Torres Ueda Vargas Varga Weber Yilmaz Zhang Zimmermann'
).split(' ');

/** What people answer in conversations (world.ts: the replies below a post), after `@author`. */
export const REPLY_PHRASES: readonly string[] = [
  'Same here, the range surprised me too',
  'Which model is that?',
  'Did support get back to you?',
  'Totally agree',
  'Not my experience, mine needed a new battery after a year',
  'Thanks for sharing this!',
  'How steep are the hills on your route?',
  'Is it worth it in the rain?',
  'Where did you buy it?',
  'Good point, I had not thought of that',
  'Following this thread',
  'We had the same question at our shop',
];

/**
 * What each person's profile page says about them: the bio, and how many follow them and they
 * follow at the world's start (the practice profile's followers grow as people follow it).
 */
export const PROFILE_FACTS: Readonly<Record<string, { bio: string; followers: number; following: number }>> = {
  practice: {
    bio: 'Your practice profile in the Sandbox: simulated people, posts and counts. Nothing here is published.',
    followers: 1_250,
    following: 0,
  },
  'ada.builds': { bio: 'Maker, tinkerer, weekend bike mechanic.', followers: 2_310, following: 480 },
  bikelane_bea: { bio: 'Cycling advocate. More lanes, fewer cars.', followers: 4_820, following: 910 },
  'chen.rides': { bio: 'Daily commuter, occasional racer.', followers: 1_140, following: 320 },
  dario_outdoors: { bio: 'Trails, rivers and long rides.', followers: 3_060, following: 615 },
  'elodie.tech': { bio: 'Product reviews and gadget teardowns.', followers: 8_900, following: 402 },
  'farah.k': { bio: 'Urban planner. Opinions my own.', followers: 2_750, following: 1_020 },
  gus_commutes: { bio: 'Forty minutes each way, on two wheels.', followers: 640, following: 233 },
  'hana.design': { bio: 'Designer of things you can ride.', followers: 5_480, following: 377 },
  ifpower: { bio: 'E-bikes for every street. Help: @ifpower_support', followers: 48_200, following: 312 },
  ifpower_support: { bio: 'IF Power customer care, every day 8:00 to 20:00.', followers: 6_130, following: 45 },
  'jules.reviews': { bio: 'Honest reviews, no sponsors.', followers: 12_400, following: 508 },
  'kofi.makes': { bio: 'Building cargo bikes in my garage.', followers: 1_980, following: 290 },
  lena_greenway: { bio: 'Green commuting, one ride at a time.', followers: 3_370, following: 840 },
  'marco.pedals': { bio: 'Pedalling through the city since 2009.', followers: 870, following: 410 },
  'nina.writes': { bio: 'Mobility reporter.', followers: 9_150, following: 1_230 },
  oscar_daily: { bio: 'A photo of my commute, every day.', followers: 450, following: 160 },
  'paula.city': { bio: 'City council candidate, bike lane enthusiast.', followers: 2_020, following: 705 },
  'quentin.news': { bio: 'Tech and mobility news.', followers: 12_300, following: 890 },
  'rhea.energy': { bio: 'Batteries, grids and the energy transition.', followers: 5_600, following: 740 },
  'sam.cm': { bio: 'Community manager. Coffee first.', followers: 1_430, following: 1_650 },
  techcrank: { bio: 'Gadget news, reviews and rumours.', followers: 91_000, following: 120 },
  urbanwheels: { bio: 'The magazine of city cycling.', followers: 23_400, following: 650 },
  voltcycle: { bio: 'Electric bikes, built to last.', followers: 15_800, following: 210 },
  'wren.photo': { bio: 'Photographer. Streets and spokes.', followers: 6_720, following: 530 },
  'noa.rides': { bio: 'רוכבת כל יום לאורך הים.', followers: 980, following: 340 },
  'karim.velo': { bio: 'أركب الدراجة كل صباح إلى العمل.', followers: 1_210, following: 380 },
};
