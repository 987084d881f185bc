import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../platform/db/index.js';
import { createTestApp, type Browser, type TestApp } from '../testing/app.js';
import { addDays, vnDate } from './model.js';
import { listSessions } from './service.js';
import { makeActor, makeCitizen, makeInstitution, makeProgramme, makeStaff, makeUnit, signedIn } from './testing.js';

let t: TestApp;
let db: Db;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
});
afterAll(async () => {
  await t.close();
});

const today = () => vnDate(new Date());

/** A PUT as the signed-in browser would send it. */
function put(browser: Browser, url: string, payload: Record<string, unknown>) {
  return t.app.inject({
    method: 'PUT',
    url,
    payload,
    headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': browser.csrf, accept: 'application/json' },
  });
}

function validBody(institutionId: string) {
  return {
    kind: 'class',
    title: 'Lớp vẽ tranh thiếu nhi',
    institutionId,
    startDate: addDays(today(), 3),
    startTime: '08:00',
    endTime: '10:00',
    capacity: 12,
  };
}

describe('programme API: access', () => {
  it('staff create and publish for their institution, not for another', async () => {
    const { actor, institution } = await makeStaff(db);
    const other = await makeInstitution(db);
    const staff = await signedIn(t.app, db, actor.userId);
    const created = await staff.json('POST', '/api/v1/programmes', {
      ...validBody(institution.id),
      rrule: 'FREQ=WEEKLY;COUNT=6',
      topics: ['arts'],
      audiences: ['children'],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string; status: string }>().id;
    expect(created.json<{ status: string }>().status).toBe('draft');
    expect((await listSessions(db, id)).length).toBe(6);
    expect((await staff.json('POST', `/api/v1/programmes/${id}/publish`)).statusCode).toBe(200);
    expect((await staff.json('POST', '/api/v1/programmes', validBody(other.id))).statusCode).toBe(403);
    const outsider = await signedIn(t.app, db, (await makeStaff(db)).actor.userId);
    expect((await put(outsider, `/api/v1/programmes/${id}`, validBody(institution.id))).statusCode).toBe(403);
    expect((await outsider.post(`/programmes/${id}/publish`, {})).statusCode).toBe(403);
  });

  it('drafts are hidden from the public; anonymous writes need a sign-in', async () => {
    const { programme } = await makeProgramme(db, { publish: false });
    expect((await t.app.inject({ url: `/api/v1/programmes/${programme.id}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/programmes/${programme.id}` })).statusCode).toBe(404);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/programmes', payload: validBody(programme.institutionId) });
    expect([401, 403]).toContain(res.statusCode);
  });

  it('a citizen sees only their own registrations; staff of another institution cannot see the roster', async () => {
    const { programme } = await makeProgramme(db, { capacity: 1 });
    const [a, b] = [await makeCitizen(db), await makeCitizen(db)];
    const ba = await signedIn(t.app, db, a.userId);
    const bb = await signedIn(t.app, db, b.userId);
    expect((await ba.json('POST', `/api/v1/programmes/${programme.id}/registrations`, {})).json<{ status: string }>().status).toBe('confirmed');
    expect((await bb.json('POST', `/api/v1/programmes/${programme.id}/registrations`, {})).json<{ status: string }>().status).toBe('waitlisted');
    const mine = (await ba.json('GET', '/api/v1/me/registrations')).json<Array<{ registration: { status: string } }>>();
    expect(mine.map((m) => m.registration.status)).toEqual(['confirmed']);
    expect((await bb.json('GET', `/api/v1/programmes/${programme.id}/registrations`)).statusCode).toBe(404);
    const regId = mine.length
      ? (await ba.json('GET', '/api/v1/me/registrations')).json<Array<{ registration: { id: string } }>>()[0]!.registration.id
      : '';
    expect((await bb.json('DELETE', `/api/v1/registrations/${regId}`)).statusCode).toBe(404);
    expect((await ba.json('DELETE', `/api/v1/registrations/${regId}`)).statusCode).toBe(200);
    expect(t.sent.length).toBe(0);
  });
});

describe('programme API: bad input names the field', () => {
  const issuesOf = (res: { json: <T>() => T }) => res.json<{ error: { issues: Array<{ field: string; message: string }> } }>().error.issues;

  it('end before start, capacity 0 or negative, a never-ending rule', async () => {
    const { actor, institution } = await makeStaff(db);
    const staff = await signedIn(t.app, db, actor.userId);
    const end = await staff.json('POST', '/api/v1/programmes', { ...validBody(institution.id), endTime: '07:00' });
    expect(end.statusCode).toBe(422);
    expect(issuesOf(end).map((i) => i.field)).toEqual(['endTime']);
    expect(issuesOf(end)[0]?.message).toContain('kết thúc');
    for (const capacity of [0, -3]) {
      const res = await staff.json('POST', '/api/v1/programmes', { ...validBody(institution.id), capacity });
      expect(res.statusCode).toBe(400);
      expect(issuesOf(res).map((i) => i.field)).toEqual(['capacity']);
    }
    const never = await staff.json('POST', '/api/v1/programmes', { ...validBody(institution.id), rrule: 'FREQ=WEEKLY;BYDAY=SA' });
    expect(never.statusCode).toBe(422);
    expect(issuesOf(never).map((i) => i.field)).toEqual(['rrule']);
    expect(issuesOf(never)[0]?.message).toContain('UNTIL');
    const club = await staff.json('POST', '/api/v1/programmes', { ...validBody(institution.id), kind: 'club', rrule: 'FREQ=WEEKLY;BYDAY=SA' });
    expect(club.statusCode).toBe(201);
  });

  it('the form shows the errors beside the fields and keeps what was typed', async () => {
    const { actor, institution } = await makeStaff(db);
    const staff = await signedIn(t.app, db, actor.userId);
    await staff.get('/programmes/new');
    const res = await staff.post('/programmes', {
      kind: 'class',
      institutionId: institution.id,
      title: 'Lớp tiếng Anh giao tiếp',
      startDate: addDays(today(), 2),
      startTime: '18:00',
      endTime: '17:00',
      capacity: '0',
      repeat: 'weekly',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#f-capacity"');
    expect(res.body).toContain('value="Lớp tiếng Anh giao tiếp"');
    const res2 = await staff.post('/programmes', {
      kind: 'class',
      institutionId: institution.id,
      title: 'Lớp tiếng Anh giao tiếp',
      startDate: addDays(today(), 2),
      startTime: '18:00',
      endTime: '19:30',
      capacity: '10',
      repeat: 'weekly',
    });
    expect(res2.statusCode).toBe(422);
    expect(res2.body).toContain('href="#f-repeatUntil"');
    const ok = await staff.post('/programmes', {
      kind: 'class',
      institutionId: institution.id,
      title: 'Lớp tiếng Anh giao tiếp',
      startDate: addDays(today(), 2),
      startTime: '18:00',
      endTime: '19:30',
      capacity: '10',
      repeat: 'weekly',
      repeatUntil: addDays(today(), 30),
      topics: 'foreign_languages',
      audiences: 'adults',
    });
    expect(ok.statusCode).toBe(303);
  });

  it('a booking date in the past or not offered is refused on the date field', async () => {
    const { programme } = await makeProgramme(db, { kind: 'museum_education', capacity: 40, rrule: 'FREQ=WEEKLY;COUNT=4' });
    const teacher = await signedIn(t.app, db, (await makeCitizen(db)).userId);
    const past = await teacher.json('POST', `/api/v1/programmes/${programme.id}/bookings`, {
      school: 'Trường THCS Lê Lợi',
      pupils: 30,
      date: addDays(today(), -3),
    });
    expect(past.statusCode).toBe(422);
    expect(issuesOf(past).map((i) => i.field)).toEqual(['date']);
    expect(issuesOf(past)[0]?.message).toContain('đã qua');
    const off = await teacher.json('POST', `/api/v1/programmes/${programme.id}/bookings`, {
      school: 'Trường THCS Lê Lợi',
      pupils: 30,
      date: addDays(today(), 8),
    });
    expect(issuesOf(off)[0]?.field).toBe('date');
    const tooMany = await teacher.json('POST', `/api/v1/programmes/${programme.id}/bookings`, {
      school: 'Trường THCS Lê Lợi',
      pupils: 41,
      date: addDays(today(), 7),
    });
    expect(issuesOf(tooMany)[0]?.field).toBe('pupils');
  });
});

describe('school-group bookings', () => {
  it('a teacher books; the museum proposes another date; the teacher accepts', async () => {
    const museum = await makeInstitution(db, { type: 'museum_provincial' });
    const { actor } = await makeStaff(db, museum);
    const { programme } = await makeProgramme(db, {
      kind: 'museum_education',
      capacity: 40,
      rrule: 'FREQ=WEEKLY;COUNT=4',
      staff: actor,
      institution: museum,
    });
    const teacherActor = await makeCitizen(db);
    const teacher = await signedIn(t.app, db, teacherActor.userId);
    const booked = await teacher.json('POST', `/api/v1/programmes/${programme.id}/bookings`, {
      school: 'Trường Tiểu học Kim Đồng',
      className: '4A',
      pupils: 32,
      date: addDays(today(), 7),
    });
    expect(booked.statusCode).toBe(201);
    const id = booked.json<{ id: string }>().id;
    const staff = await signedIn(t.app, db, actor.userId);
    const proposed = await staff.json('POST', `/api/v1/bookings/${id}/propose`, { date: addDays(today(), 14) });
    expect(proposed.json<{ status: string }>().status).toBe('proposed');
    await teacher.get('/my/programmes');
    const accept = await teacher.post(`/my/bookings/${id}/accept`, {});
    expect(accept.statusCode).toBe(303);
    const mine = (await teacher.json('GET', '/api/v1/me/bookings')).json<Array<{ status: string; date: string }>>();
    expect(mine[0]).toMatchObject({ status: 'confirmed', date: addDays(today(), 14) });
    const personal = await teacher.json('POST', `/api/v1/programmes/${programme.id}/registrations`, {});
    expect(personal.statusCode).toBe(409);
  });
});

describe('search, calendar and feeds', () => {
  it('finds programmes without diacritics, by place subtree, topic and audience', async () => {
    const province = await makeUnit(db, { level: 'province' });
    const district = await makeUnit(db, { level: 'district', parent: province });
    const inst = await makeInstitution(db, { unit: district });
    const { actor } = await makeStaff(db, inst);
    await makeProgramme(db, {
      title: 'Câu lạc bộ Thư pháp Việt',
      kind: 'club',
      rrule: 'FREQ=WEEKLY;COUNT=3',
      topics: ['arts'],
      audiences: ['older_people'],
      staff: actor,
      institution: inst,
    });
    const found = (q: string) =>
      t.app.inject({ url: `/api/v1/programmes?${q}` }).then((r) => r.json<{ items: Array<{ title: string }> }>().items.map((i) => i.title));
    expect(await found('q=thu%20phap')).toContain('Câu lạc bộ Thư pháp Việt');
    expect(await found(`q=thu%20phap&unitId=${province.id}`)).toEqual(['Câu lạc bộ Thư pháp Việt']);
    expect(await found(`q=thu%20phap&unitId=${(await makeUnit(db)).id}`)).toEqual([]);
    expect(await found(`unitId=${province.id}&topic=sports`)).toEqual([]);
    expect(await found(`unitId=${province.id}&audience=older_people`)).toEqual(['Câu lạc bộ Thư pháp Việt']);
    const page = await t.app.inject({ url: '/programmes?q=th%C6%B0%20ph%C3%A1p' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Câu lạc bộ Thư pháp Việt');
  });

  it('the calendars of an institution, its unit and the province show the sessions and national days; the feeds parse', async () => {
    const { programme, institution } = await makeProgramme(db, { title: 'Ngày hội đọc sách', kind: 'event' });
    const date = addDays(today(), 7);
    for (const url of [`/calendar/institutions/${institution.id}`, `/calendar/units/${institution.unitId}`, '/calendar']) {
      // The whole province's month and week show the first few of each day; its list shows all.
      for (const view of url === '/calendar' ? ['list'] : ['month', 'week', 'list']) {
        const res = await t.app.inject({ url: `${url}?view=${view}&date=${date}` });
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('Ngày hội đọc sách');
      }
      const feed = await t.app.inject({ url: `${url}/feed.ics` });
      expect(feed.headers['content-type']).toContain('text/calendar');
      const cal = ICAL.Component.fromString(feed.body);
      const uids = cal.getAllSubcomponents('vevent').map((e) => String(e.getFirstPropertyValue('uid')));
      const sessions = await listSessions(db, programme.id);
      expect(uids).toContain(`${sessions[0]!.id}@localhost:3000`);
      expect(cal.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('summary'))).toContain('Ngày Sách và Văn hóa đọc Việt Nam');
    }
    const april = await t.app.inject({ url: '/calendar?view=month&date=2027-04-01' });
    expect(april.body).toContain('Ngày Sách và Văn hóa đọc Việt Nam');
    const october = await t.app.inject({ url: '/calendar?view=week&date=2027-10-04' });
    expect(october.body).toContain('Tuần lễ hưởng ứng học tập suốt đời');
  });

  it("a citizen's own feed has their sessions only, behind a secret address", async () => {
    const { programme } = await makeProgramme(db, { title: 'Lớp Tin học văn phòng', rrule: 'FREQ=WEEKLY;COUNT=2' });
    const me = await makeCitizen(db);
    const browser = await signedIn(t.app, db, me.userId);
    await browser.json('POST', `/api/v1/programmes/${programme.id}/registrations`, {});
    const page = await browser.get('/my/programmes');
    expect(page.body).toContain('<svg');
    const url = /http[^<"]+\/feed\.ics/.exec(page.body)?.[0];
    expect(url).toBeDefined();
    const feed = await t.app.inject({ url: new URL(url!).pathname });
    const events = ICAL.Component.fromString(feed.body).getAllSubcomponents('vevent');
    expect(events.map((e) => e.getFirstPropertyValue('summary'))).toEqual(['Lớp Tin học văn phòng', 'Lớp Tin học văn phòng']);
    expect((await t.app.inject({ url: '/my/calendar/not-a-token/feed.ics' })).statusCode).toBe(404);
  });
});

describe('attendance and statistics', () => {
  it('check-in by code, tick list and walk-ins count in the statistics, CSV and XLSX', async () => {
    const {
      programme,
      staff: actor,
      institution,
    } = await makeProgramme(db, {
      title: 'Bồi dưỡng nghiệp vụ thư viện',
      audiences: ['staff'],
      topics: ['digital_skills'],
      startDate: today(),
      startTime: '00:00',
      endTime: '23:59',
    });
    const [a, b] = [await makeCitizen(db), await makeCitizen(db)];
    const ba = await signedIn(t.app, db, a.userId);
    const code = (await ba.json('POST', `/api/v1/programmes/${programme.id}/registrations`, { ageGroup: '36_59' })).json<{ code: string }>().code;
    const rb = (await (await signedIn(t.app, db, b.userId)).json('POST', `/api/v1/programmes/${programme.id}/registrations`, {})).json<{
      id: string;
    }>();
    const [session] = await listSessions(db, programme.id);
    const staff = await signedIn(t.app, db, actor.userId);
    const sheetUrl = `/programmes/${programme.id}/sessions/${session!.id}/attendance`;
    const sheet = await staff.get(sheetUrl);
    expect(sheet.statusCode).toBe(200);
    expect(sheet.body).toContain('/programmes/assets/checkin.js');
    const wrong = await staff.post(`/programmes/${programme.id}/sessions/${session!.id}/checkin`, { code: 'NOPE' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('href="#f-code"');
    const ok = await staff.post(`/programmes/${programme.id}/sessions/${session!.id}/checkin`, { code: code.toLowerCase() });
    expect(ok.statusCode).toBe(303);
    await staff.get(sheetUrl);
    await staff.post(sheetUrl, { present: rb.id });
    await staff.post(`/programmes/${programme.id}/sessions/${session!.id}/walk-ins`, { name: 'Khách vãng lai', ageGroup: '60_plus' });
    const after = await staff.get(sheetUrl);
    expect(after.body).toContain('Khách vãng lai');
    const stats = await staff.json('GET', `/api/v1/programmes/statistics?from=${today()}&to=${today()}&institutionId=${institution.id}`);
    const [row] = stats.json<
      Array<{
        programmesHeld: number;
        attendance: number;
        staffTrainingAttendance: number;
        attendanceByAgeGroup: Record<string, number>;
        byTopic: Record<string, number>;
      }>
    >();
    expect(row).toMatchObject({
      programmesHeld: 1,
      attendance: 2,
      staffTrainingAttendance: 2,
      attendanceByAgeGroup: { '60_plus': 1, unknown: 1 },
      byTopic: { digital_skills: 1 },
    });
    const csv = await staff.get(`/programmes/stats.csv?from=${today()}&to=${today()}&unitId=${institution.unitId}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(institution.name);
    const xlsx = await staff.get(`/programmes/stats.xlsx?from=${today()}&to=${today()}&unitId=${institution.unitId}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.getRow(3).getCell(1).value).toBe(institution.name);
    expect((await t.app.inject({ url: '/programmes/stats' })).statusCode).toBe(401);
  });

  it('the API is in the OpenAPI document under the programmes tag', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { tags?: string[] }>> }>();
    expect(doc.paths['/api/v1/programmes']?.post?.tags).toEqual(['programmes']);
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/programmes')).length).toBeGreaterThan(5);
  });

  it('markers: national days are editable by the Department; local anniversaries by unit officers', async () => {
    const province = await makeUnit(db, { level: 'province' });
    const officer = await signedIn(t.app, db, (await makeActor(db, [{ role: 'unit_officer', unit: province }])).userId);
    const added = await officer.json('POST', '/api/v1/calendar/markers', { title: 'Ngày giải phóng tỉnh', month: 3, day: 30, unitId: province.id });
    expect(added.statusCode).toBe(201);
    const national = (await officer.json('GET', '/api/v1/calendar/markers'))
      .json<Array<{ id: string; key: string | null }>>()
      .find((m) => m.key === 'museum_day')!;
    expect((await put(officer, `/api/v1/calendar/markers/${national.id}`, { title: 'x', month: 5, day: 18 })).statusCode).toBe(403);
    const dept = await signedIn(t.app, db, (await makeActor(db, [{ role: 'dept_admin', unit: province }])).userId);
    expect(
      (await put(dept, `/api/v1/calendar/markers/${national.id}`, { title: 'Ngày Quốc tế Bảo tàng (18/5)', month: 5, day: 18 })).statusCode,
    ).toBe(200);
    const bad = await dept.json('POST', '/api/v1/calendar/markers', { title: 'Ngày không có', month: 2, day: 30 });
    expect(bad.statusCode).toBe(422);
  });

  it('a campaign groups programmes of several institutions and shows their totals', async () => {
    const province = await makeUnit(db, { level: 'province' });
    const officer = await signedIn(t.app, db, (await makeActor(db, [{ role: 'unit_officer', unit: province }])).userId);
    const from = today();
    const to = addDays(today(), 30);
    const bad = await officer.json('POST', '/api/v1/campaigns', { title: 'Ngày Sách', unitId: province.id, startsOn: to, endsOn: from });
    expect(bad.json<{ error: { issues: Array<{ field: string }> } }>().error.issues[0]?.field).toBe('endsOn');
    const created = await officer.json('POST', '/api/v1/campaigns', {
      title: 'Ngày Sách và Văn hóa đọc Việt Nam',
      unitId: province.id,
      startsOn: from,
      endsOn: to,
    });
    expect(created.statusCode).toBe(201);
    const campaignId = created.json<{ id: string }>().id;
    const citizen = await signedIn(t.app, db, (await makeCitizen(db)).userId);
    expect((await citizen.json('POST', '/api/v1/campaigns', { title: 'x', unitId: province.id, startsOn: from, endsOn: to })).statusCode).toBe(403);
    for (const title of ['Thi kể chuyện sách', 'Đọc sách cùng con']) {
      const { programme } = await makeProgramme(db, { title, kind: 'event', campaignId });
      await citizen.json('POST', `/api/v1/programmes/${programme.id}/registrations`, {});
    }
    const shown = (await t.app.inject({ url: `/api/v1/campaigns/${campaignId}` })).json<{
      totals: { programmesHeld: number; registrations: number };
    }>();
    expect(shown.totals).toMatchObject({ programmesHeld: 2, registrations: 2 });
    const page = await t.app.inject({ url: `/campaigns/${campaignId}` });
    expect(page.body).toContain('Thi kể chuyện sách');
    expect(page.body).toContain('Đọc sách cùng con');
  });

  it('the pages speak English when asked', async () => {
    const { programme } = await makeProgramme(db, { title: 'Lớp tiếng Anh' });
    for (const url of [
      `/programmes/${programme.id}?lang=en`,
      '/programmes?lang=en',
      '/calendar?lang=en',
      '/campaigns?lang=en',
      '/calendar/markers?lang=en',
    ]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('lang="en"');
      expect(res.body).not.toMatch(/>programmes\.[a-zA-Z.]+</);
    }
  });
});
