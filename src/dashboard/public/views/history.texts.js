// @ts-check
export const T = {
  title: 'Personas alojadas por noche',
  from: 'Desde',
  to: 'Hasta',
  house: 'Casa',
  allHouses: 'Todas las casas',
  show: 'Ver',
  table: 'Ver los datos en una tabla',
  date: 'Fecha',
  occupied: 'Alojadas',
  capacity: 'Capacidad',
  order: 'La fecha inicial debe ser anterior o igual a la final.',
};
